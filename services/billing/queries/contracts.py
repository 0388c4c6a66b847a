"""Contracts as the routes read them: one by id, a principal's list, a contract's schedule with
what each month still holds and what was charged for it."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.domain.contracts import held_by_month, held_kop
from services.billing.models import ChargeRow, Contract, ContractMonth


async def find_contract(session: AsyncSession, contract_id: uuid.UUID, *, lock: bool = False) -> Contract | None:
    return await session.get(Contract, contract_id, with_for_update=lock)


async def contracts_within(session: AsyncSession, scope: dict[str, Any], params: PageParams, *,
                           status: str | None, child_id: uuid.UUID | None,
                           group_id: uuid.UUID | None) -> tuple[list[Contract], int]:
    """A page of the contracts of a scope (`domain.access.contract_scope`), oldest first, and their total."""
    query = select(Contract).where(*within(Contract, scope))
    for column, value in ((Contract.status, status), (Contract.child_id, child_id), (Contract.group_id, group_id)):
        if value is not None:
            query = query.where(column == value)
    rows, total = await paginate(session, query.order_by(Contract.created_at, Contract.id), params)
    return [contract for contract, in rows], total


@dataclass(frozen=True)
class ScheduledMonth:
    month: str
    certificate_kop: int
    copay_kop: int
    planned_lessons: int
    reserved_kop: int  # what the certificate still holds for this month
    charged_kop: int | None  # charged at the month's close (debited, or on its way); None: not charged yet


async def schedule_of(session: AsyncSession, contract: Contract) -> list[ScheduledMonth]:
    """The contract's months within its term, each with what the certificate still holds for it and
    what its close charged (`scheduled`)."""
    charged = func.coalesce(ChargeRow.debited_kop, ChargeRow.amount_kop).label("charged_kop")
    query = (select(ContractMonth.month, ContractMonth.certificate_kop, ContractMonth.copay_kop,
                    ContractMonth.planned_lessons, charged)
             .outerjoin(ChargeRow, and_(ChargeRow.contract_id == ContractMonth.contract_id,
                                        ChargeRow.month == ContractMonth.month))
             .where(ContractMonth.contract_id == contract.id).order_by(ContractMonth.month))
    if contract.last_month is not None:
        query = query.where(ContractMonth.month <= contract.last_month)
    return scheduled(contract, (await session.execute(query)).all())


def scheduled(contract, months: Sequence) -> list[ScheduledMonth]:
    """`months` (each with its month, shares, planned lessons and `charged_kop`) within the contract's
    term (a terminated contract's last month is the one it ended in; the later ones were released and
    are not its schedule any more), each with what the certificate still holds for it."""
    within = sorted((m for m in months if contract.last_month is None or m.month <= contract.last_month),
                    key=lambda m: m.month)
    held = held_by_month([(m.month, m.certificate_kop) for m in within if m.charged_kop is None],
                         held_kop(contract.reserved_kop, contract.released_kop, contract.charged_kop))
    return [ScheduledMonth(month=m.month, certificate_kop=m.certificate_kop, copay_kop=m.copay_kop,
                           planned_lessons=m.planned_lessons, reserved_kop=held.get(m.month, 0),
                           charged_kop=m.charged_kop)
            for m in within]
