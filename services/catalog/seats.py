"""Seats: taken and freed with conditional updates, so a seat is never sold twice."""
from __future__ import annotations

import uuid

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.models import Group


async def take_seat(session: AsyncSession, group_id: uuid.UUID) -> bool:
    taken = await session.execute(
        update(Group).where(Group.id == group_id, Group.taken < Group.capacity).values(taken=Group.taken + 1)
        .returning(Group.id))
    return taken.first() is not None


async def free_seat(session: AsyncSession, group_id: uuid.UUID) -> None:
    await session.execute(update(Group).where(Group.id == group_id, Group.taken > 0).values(taken=Group.taken - 1))
