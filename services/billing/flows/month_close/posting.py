"""Posting a payer's month's charges: each batch takes unposted charges, stamps them with the batch id
and stages one ChargesPosted event, in one transaction. A crash loses nothing: the next run
takes the charges that carry no batch yet; a charge is never in two batches."""
from __future__ import annotations

import uuid

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import Charge, ChargesPosted
from pfdo_kit.outbox import Outbox
from services.billing.domain.statuses import POSTED, POSTING
from services.billing.models import MonthClose

# ANY(ARRAY(...)): the picked ids are probed in the primary key; a join to them let the
# planner read the whole table once per batch.
TAKE_BATCH_SQL = text("""
UPDATE charges c SET batch_id = :batch
 WHERE c.id = ANY(ARRAY(SELECT id FROM charges WHERE month = :month AND payer = :municipality AND batch_id IS NULL
                         ORDER BY id LIMIT :size FOR UPDATE SKIP LOCKED))
RETURNING c.id, c.contract_id, c.certificate_id, c.amount_kop, c.release_kop, c.final
""")


async def post_one_batch(session: AsyncSession, outbox: Outbox, month: str, municipality: str, size: int) -> int:
    """Post up to `size` unposted charges of the payer's month; returns how many (0: nothing left)."""
    batch_id = uuid.uuid4()
    rows = (await session.execute(TAKE_BATCH_SQL, dict(month=month, municipality=municipality, size=size,
                                                       batch=batch_id))).all()
    if not rows:
        return 0
    await outbox.add(session, ChargesPosted(batch_id=batch_id, month=month, charges=[
        Charge(charge_id=r.id, contract_id=r.contract_id, certificate_id=r.certificate_id, amount_kop=r.amount_kop,
               release_kop=r.release_kop, final=r.final) for r in rows]))
    await session.execute(update(MonthClose).where(MonthClose.month == month, MonthClose.municipality == municipality)
                          .values(batches_posted=MonthClose.batches_posted + 1))
    return len(rows)


async def mark_posted(session: AsyncSession, month: str, municipality: str) -> None:
    """Every charge is out: the payer's month now waits for certificates' confirmations."""
    await session.execute(update(MonthClose).where(MonthClose.month == month, MonthClose.municipality == municipality,
                                                   MonthClose.status == POSTING).values(status=POSTED))
