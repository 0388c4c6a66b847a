"""Seats: taken and freed with conditional updates, so a seat is never sold twice (search's
projection counts the free ones again in the same transaction); a program's enrollment limit
counts the seats held across all its groups."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.flows import search_projection
from services.catalog.models import Application, Group, Program


async def take_seat(session: AsyncSession, group_id: uuid.UUID, today: date) -> bool:
    taken = await session.execute(
        update(Group).where(Group.id == group_id, Group.taken < Group.capacity).values(taken=Group.taken + 1)
        .returning(Group.program_id))
    program_id = taken.scalar_one_or_none()
    if program_id is None:
        return False
    await search_projection.refresh_groups(session, [program_id], today)
    return True


async def free_seat(session: AsyncSession, group_id: uuid.UUID, today: date) -> None:
    freed = await session.execute(update(Group).where(Group.id == group_id, Group.taken > 0)
                                  .values(taken=Group.taken - 1).returning(Group.program_id))
    if (program_id := freed.scalar_one_or_none()) is not None:
        await search_projection.refresh_groups(session, [program_id], today)


async def within_program_limit(session: AsyncSession, program_id: uuid.UUID) -> bool:
    """Whether the program may hold one more seat (its row stays locked until the transaction ends)."""
    program = await session.get(Program, program_id, with_for_update=True)
    if program.enrollment_limit is None:
        return True
    held = await session.scalar(select(func.count()).select_from(Application).where(
        Application.program_id == program_id, Application.holds_seat.is_(True)))
    return held < program.enrollment_limit
