"""Posting a month's charges: each batch takes unposted charges, stamps them with the batch id
and stages one ChargesPosted event, in one transaction. A crash loses nothing: the next run
takes the charges that carry no batch yet; a charge is never in two batches."""
from __future__ import annotations

import logging
import uuid

from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pfdo_events.billing import Charge, ChargesPosted
from pfdo_kit.outbox import Outbox
from services.billing.models import MonthClose

log = logging.getLogger(__name__)

# ANY(ARRAY(...)): the picked ids are probed in the primary key; a join to them let the
# planner read the whole table once per batch.
TAKE_BATCH_SQL = text("""
UPDATE charges c SET batch_id = :batch
 WHERE c.id = ANY(ARRAY(SELECT id FROM charges WHERE month = :month AND batch_id IS NULL
                         ORDER BY id LIMIT :size FOR UPDATE SKIP LOCKED))
RETURNING c.id, c.contract_id, c.certificate_id, c.amount_kop, c.release_kop, c.final
""")


async def post_one_batch(session: AsyncSession, outbox: Outbox, month: str, size: int) -> int:
    batch_id = uuid.uuid4()
    rows = (await session.execute(TAKE_BATCH_SQL, dict(month=month, size=size, batch=batch_id))).all()
    if not rows:
        return 0
    await outbox.add(session, ChargesPosted(batch_id=batch_id, month=month, charges=[
        Charge(charge_id=r.id, contract_id=r.contract_id, certificate_id=r.certificate_id, amount_kop=r.amount_kop,
               release_kop=r.release_kop, final=r.final) for r in rows]))
    await session.execute(update(MonthClose).where(MonthClose.month == month)
                          .values(batches_posted=MonthClose.batches_posted + 1))
    return len(rows)


async def post_batches(sessions: async_sessionmaker, outbox: Outbox, month: str, size: int,
                       max_batches: int | None = None) -> int:
    """Post until nothing is left (or `max_batches`); returns the charges posted by this call."""
    posted = batches = 0
    while max_batches is None or batches < max_batches:
        async with sessions() as session, session.begin():
            n = await post_one_batch(session, outbox, month, size)
        if n == 0:
            break
        posted, batches = posted + n, batches + 1
        if batches % 10 == 0:
            log.info("month close: posting", extra={"month": month, "charges_posted": posted, "batches": batches})
    return posted
