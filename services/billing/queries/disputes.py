"""Disputes as a principal reads them, with their history and reversals; the rows a step locks."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.models import ChargeRow, Contract, Dispute, DisputeHistory, Reversal


async def charge_to_dispute(session: AsyncSession, charge_id: uuid.UUID) -> tuple[ChargeRow, Contract] | None:
    """The charge and its contract, the charge locked: two openings of one debit queue up."""
    row = (await session.execute(select(ChargeRow, Contract).join(Contract, Contract.id == ChargeRow.contract_id)
                                 .where(ChargeRow.id == charge_id).with_for_update(of=ChargeRow))).first()
    return None if row is None else (row[0], row[1])


async def find_dispute(session: AsyncSession, dispute_id: uuid.UUID, *,
                       lock: bool = False) -> tuple[Dispute, Contract] | None:
    query = select(Dispute, Contract).join(Contract, Contract.id == Dispute.contract_id).where(Dispute.id == dispute_id)
    row = (await session.execute(query.with_for_update(of=Dispute) if lock else query)).first()
    return None if row is None else (row[0], row[1])


async def disputes_within(session: AsyncSession, scope: dict[str, Any], params: PageParams, *, status: str | None,
                          contract_id: uuid.UUID | None) -> tuple[list[tuple[Dispute, Contract]], int]:
    """A page of the disputes of the scope's contracts (`domain.access.contract_scope`), newest first."""
    query = select(Dispute, Contract).join(Contract, Contract.id == Dispute.contract_id).where(*within(Contract, scope))
    if status is not None:
        query = query.where(Dispute.status == status)
    if contract_id is not None:
        query = query.where(Dispute.contract_id == contract_id)
    rows, total = await paginate(session, query.order_by(Dispute.opened_at.desc(), Dispute.id), params)
    return [(dispute, contract) for dispute, contract in rows], total


async def history_of(session: AsyncSession, dispute_id: uuid.UUID) -> tuple[list[DisputeHistory], list[Reversal]]:
    steps = (await session.execute(select(DisputeHistory).where(DisputeHistory.dispute_id == dispute_id)
                                   .order_by(DisputeHistory.id))).scalars().all()
    reversals = (await session.execute(select(Reversal).where(Reversal.dispute_id == dispute_id)
                                       .order_by(Reversal.created_at))).scalars().all()
    return list(steps), list(reversals)


async def disputes_of_charges(session: AsyncSession, charge_ids: list[uuid.UUID]) -> dict[uuid.UUID, Dispute]:
    if not charge_ids:
        return {}
    rows = (await session.execute(select(Dispute).where(Dispute.charge_id.in_(charge_ids)))).scalars().all()
    return {d.charge_id: d for d in rows}
