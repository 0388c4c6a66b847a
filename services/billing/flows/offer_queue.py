"""The queue of offers to render ahead of their readers (`offer_renders_due`, worked by
jobs/offer_renderer.py): a contract is queued when it is offered and again when its parties' data
changes (the provider's requisites, the family's account), so the family's read and signature
find its offer ready. Claims are leases taken with SKIP LOCKED: billing processes share the queue."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.statuses import OFFERED
from services.billing.models import Contract, OfferRenderDue, OfferRendering


def _requeued(statement):
    """Queued again (a new `seq`, the claim dropped): a job rendering an older content must not settle it."""
    return statement.on_conflict_do_update(index_elements=[OfferRenderDue.contract_id],
                                           set_={"seq": statement.excluded.seq, "claimed_until": None})


async def queue_offer(session: AsyncSession, contract_id: uuid.UUID) -> None:
    await session.execute(_requeued(insert(OfferRenderDue).values(contract_id=contract_id)))


async def queue_offers_where(session: AsyncSession, condition: ColumnElement[bool]) -> None:
    """Every offered contract matching `condition` (its parties' data changed)."""
    await session.execute(_requeued(insert(OfferRenderDue).from_select(
        ["contract_id"], select(Contract.id).where(Contract.status == OFFERED, condition))))


@dataclass(frozen=True)
class Due:
    contract_id: uuid.UUID
    seq: int


async def claim_due(session: AsyncSession, now: datetime, size: int, lease: timedelta) -> list[Due]:
    """The oldest unclaimed (or lease-expired) entries, claimed until `now + lease`; other
    processes skip what this one locked."""
    rows = (await session.execute(select(OfferRenderDue).where(
        or_(OfferRenderDue.claimed_until.is_(None), OfferRenderDue.claimed_until < now))
        .order_by(OfferRenderDue.seq).limit(size).with_for_update(skip_locked=True))).scalars().all()
    for row in rows:
        row.claimed_until = now + lease
    return [Due(row.contract_id, row.seq) for row in rows]


async def settle_due(session: AsyncSession, due: Due) -> None:
    """Done with the entry as claimed (one queued again meanwhile stays)."""
    await session.execute(delete(OfferRenderDue).where(OfferRenderDue.contract_id == due.contract_id,
                                                       OfferRenderDue.seq == due.seq))


async def drop_unneeded_renderings(session: AsyncSession) -> int:
    """Kept renderings of contracts no longer offered (void, or signed while a read kept one)."""
    gone = await session.execute(delete(OfferRendering).where(
        OfferRendering.contract_id == Contract.id, Contract.status != OFFERED))
    return gone.rowcount or 0
