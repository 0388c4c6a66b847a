"""A group's attendance as the roster shows it: its signed contracts and their marks in a month."""
from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.calendar import first_day, last_day
from services.billing.models import Attendance, Contract


async def signed_contracts(session: AsyncSession, group_id: uuid.UUID) -> list[Contract]:
    query = select(Contract).where(Contract.group_id == group_id, Contract.signed_on.is_not(None)).order_by(Contract.id)
    return list((await session.execute(query)).scalars().all())


async def marks_in(session: AsyncSession, contracts: Sequence[Contract], month: str) -> list[Attendance]:
    """The month's marks of these contracts, by lesson date."""
    return list((await session.execute(select(Attendance).where(
        Attendance.contract_id.in_([c.id for c in contracts]),
        Attendance.lesson_date.between(first_day(month), last_day(month)))
        .order_by(Attendance.lesson_date))).scalars().all())
