"""A program's reviews, newest first."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.catalog.models import Review


async def reviews_of(session: AsyncSession, program_id: uuid.UUID, params: PageParams) -> tuple[list, int]:
    """A page of the program's reviews and their total."""
    query = select(Review).where(Review.program_id == program_id).order_by(Review.created_at.desc(),
                                                                            Review.id.desc())
    return await paginate(session, query, params)
