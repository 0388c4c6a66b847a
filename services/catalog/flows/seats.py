"""Seats: taken and freed with conditional updates, so a seat is never sold twice (search's
projection counts the free ones again in the same transaction); a program's enrollment limit
counts the seats held across all its groups."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Integer, bindparam, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.precompiled import Precompiled
from services.catalog.flows import search_projection
from services.catalog.models import Application, Group

applications, groups = Application.__table__, Group.__table__


def _take(under_limit: bool) -> Precompiled:
    g, a = groups.c, applications.c
    room = [g.id == bindparam("group_id", type_=g.id.type), g.taken < g.capacity]
    if under_limit:
        room.append(select(func.count()).where(a.program_id == bindparam("of_program", type_=a.program_id.type),
                                               a.holds_seat.is_(True))
                    .scalar_subquery() < bindparam("program_limit", type_=Integer))
    return Precompiled(update(groups).where(*room).values(taken=g.taken + 1).returning(g.program_id))


_TAKE, _TAKE_UNDER_LIMIT = _take(under_limit=False), _take(under_limit=True)  # compiled once: every acceptance runs one


async def take_seat(session: AsyncSession, group_id: uuid.UUID, today: date, program_id: uuid.UUID,
                    program_limit: int | None) -> bool:
    """One seat of the group, if it has one left and the program (when it has an enrollment limit)
    holds fewer seats than its limit. The caller holds the program's row locked, so that two takers
    never count the same held seats: this statement's own snapshot then sees every seat taken before."""
    if program_limit is None:
        taken = await _TAKE.first(session, group_id=group_id)
    else:
        taken = await _TAKE_UNDER_LIMIT.first(session, group_id=group_id, of_program=program_id,
                                              program_limit=program_limit)
    if taken is None:
        return False
    await search_projection.refresh_groups(session, [program_id], today)
    return True


async def free_seat(session: AsyncSession, group_id: uuid.UUID, today: date) -> None:
    g = groups.c
    freed = await session.execute(update(groups).where(g.id == group_id, g.taken > 0)
                                  .values(taken=g.taken - 1).returning(g.program_id))
    if (program_id := freed.scalar_one_or_none()) is not None:
        await search_projection.refresh_groups(session, [program_id], today)
