"""Seats: taken and freed with conditional updates, so a seat is never sold twice (search's
projection counts the free ones again in the same transaction); a program's enrollment limit
counts the seats held across all its groups."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.flows import search_projection
from services.catalog.models import Application, Group

applications, groups = Application.__table__, Group.__table__


async def take_seat(session: AsyncSession, group_id: uuid.UUID, today: date, program_id: uuid.UUID,
                    program_limit: int | None) -> bool:
    """One seat of the group, if it has one left and the program (when it has an enrollment limit)
    holds fewer seats than its limit. The caller holds the program's row locked, so that two takers
    never count the same held seats: this statement's own snapshot then sees every seat taken before."""
    g, a = groups.c, applications.c
    room = [g.id == group_id, g.taken < g.capacity]
    if program_limit is not None:
        room.append(select(func.count()).where(a.program_id == program_id, a.holds_seat.is_(True))
                    .scalar_subquery() < program_limit)
    taken = await session.execute(update(groups).where(*room).values(taken=g.taken + 1).returning(g.program_id))
    if taken.scalar_one_or_none() is None:
        return False
    await search_projection.refresh_groups(session, [program_id], today)
    return True


async def free_seat(session: AsyncSession, group_id: uuid.UUID, today: date) -> None:
    g = groups.c
    freed = await session.execute(update(groups).where(g.id == group_id, g.taken > 0)
                                  .values(taken=g.taken - 1).returning(g.program_id))
    if (program_id := freed.scalar_one_or_none()) is not None:
        await search_projection.refresh_groups(session, [program_id], today)
