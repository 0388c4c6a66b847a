"""The queue of offers to render ahead of their readers (`offer_renders_due`, worked by
jobs/offer_renderer.py): a contract is queued when it is offered and again when its parties' data
changes (the provider's requisites, the family's account), so the family's read and signature
find its offer ready. Claims are leases taken with SKIP LOCKED: billing processes share the queue."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import BigInteger, ColumnElement, Delete, Select, Update, bindparam, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import ARRAY, Insert, insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.statuses import OFFERED
from services.billing.models import Contract, OfferRenderDue, OfferRendering

_due = OfferRenderDue.__table__


def queued(contract_ids: Select) -> Insert:
    """The statement queueing these contracts (a select of their ids), or queueing them again: a new
    `seq`, the claim dropped, so a job rendering an older content does not settle them."""
    statement = insert(_due).from_select(["contract_id"], contract_ids)
    return statement.on_conflict_do_update(index_elements=[_due.c.contract_id],
                                           set_={"seq": statement.excluded.seq, "claimed_until": None})


async def queue_offers_where(session: AsyncSession, condition: ColumnElement[bool]) -> None:
    """Every offered contract matching `condition` (its parties' data changed)."""
    await session.execute(queued(select(Contract.id).where(Contract.status == OFFERED, condition)))


@dataclass(frozen=True)
class Due:
    contract_id: uuid.UUID
    seq: int


def _claim() -> Update:
    now = bindparam("now", type_=_due.c.claimed_until.type)
    oldest = (select(_due.c.contract_id).where(or_(_due.c.claimed_until.is_(None), _due.c.claimed_until < now))
              .order_by(_due.c.seq).limit(bindparam("size")).with_for_update(skip_locked=True))
    return (update(_due).where(_due.c.contract_id.in_(oldest.scalar_subquery()))
            .values(claimed_until=bindparam("until", type_=_due.c.claimed_until.type))
            .returning(_due.c.contract_id, _due.c.seq))


_CLAIM = _claim()


async def claim_due(session: AsyncSession, now: datetime, size: int, lease: timedelta) -> list[Due]:
    """The oldest unclaimed (or lease-expired) entries, claimed until `now + lease` (one statement);
    other processes skip what this one locked."""
    rows = (await session.execute(_CLAIM, {"now": now, "size": size, "until": now + lease})).all()
    return sorted((Due(row.contract_id, row.seq) for row in rows), key=lambda due: due.seq)


def _settle() -> Delete:
    settled = (func.unnest(bindparam("ids", type_=ARRAY(_due.c.contract_id.type)),
                           bindparam("seqs", type_=ARRAY(BigInteger)))
               .table_valued("contract_id", "seq").render_derived("settled"))
    return delete(_due).where(_due.c.contract_id == settled.c.contract_id, _due.c.seq == settled.c.seq)


_SETTLE = _settle()


async def settle_due(session: AsyncSession, done: list[Due]) -> None:
    """Done with these entries as claimed (one queued again meanwhile stays), in one statement."""
    await session.execute(_SETTLE, {"ids": [d.contract_id for d in done], "seqs": [d.seq for d in done]})


async def drop_unneeded_renderings(session: AsyncSession) -> int:
    """Kept renderings of contracts no longer offered (void, or signed while a read kept one)."""
    gone = await session.execute(delete(OfferRendering).where(
        OfferRendering.contract_id == Contract.id, Contract.status != OFFERED))
    return gone.rowcount or 0
