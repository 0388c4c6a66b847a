"""A program's reviews, newest first."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.models import Review


async def reviews_of(session: AsyncSession, program_id: uuid.UUID) -> list[Review]:
    return list((await session.execute(select(Review).where(Review.program_id == program_id)
                                       .order_by(Review.created_at.desc()).limit(100))).scalars())
