"""A group's attendance as the roster shows it: its signed contracts and their marks in a month."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.calendar import first_day, last_day
from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.models import Attendance, Contract


async def signed_contracts(session: AsyncSession, group_id: uuid.UUID) -> list[Contract]:
    query = select(Contract).where(Contract.group_id == group_id, Contract.signed_on.is_not(None)).order_by(Contract.id)
    return list((await session.execute(query)).scalars().all())


async def sees_group(session: AsyncSession, group_id: uuid.UUID, scope: dict[str, Any]) -> bool:
    """Whether a scope (`domain.access.contract_scope`) holds any signed contract of the group."""
    return bool(await session.scalar(select(exists().where(
        Contract.group_id == group_id, Contract.signed_on.is_not(None), *within(Contract, scope)))))


async def roster_within(session: AsyncSession, group_id: uuid.UUID, scope: dict[str, Any], month: str,
                        params: PageParams) -> tuple[list[Contract], int]:
    """A page of the group's contracts of a scope that were signed by the month's end and had not
    ended before it began, by contract number, and their total."""
    starts, ends = first_day(month), last_day(month)
    query = select(Contract).where(
        Contract.group_id == group_id, *within(Contract, scope), Contract.signed_on <= ends,
        func.coalesce(Contract.terminated_on, Contract.ends_on) >= starts).order_by(Contract.number)
    rows, total = await paginate(session, query, params)
    return [contract for contract, in rows], total


async def marks_in(session: AsyncSession, contracts: Sequence[Contract], month: str) -> list[Attendance]:
    """The month's marks of these contracts, by lesson date."""
    return list((await session.execute(select(Attendance).where(
        Attendance.contract_id.in_([c.id for c in contracts]),
        Attendance.lesson_date.between(first_day(month), last_day(month)))
        .order_by(Attendance.lesson_date))).scalars().all())
