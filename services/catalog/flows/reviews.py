"""Reviews: only a family whose child was enrolled in the program rates it, once per child;
the program keeps the sum and count for its average."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden, require_role
from pfdo_kit.errors import conflict, not_found
from services.catalog.flows import search_projection
from services.catalog.models import Application, Program, Review


async def add(session: AsyncSession, program_id: uuid.UUID, principal: Principal, child_id: uuid.UUID,
              rating: int, text: str) -> Review:
    require_role(principal, "parent")
    program = await session.get(Program, program_id, with_for_update=True)
    if program is None:
        raise not_found("Программа не найдена")
    was_enrolled = await session.scalar(select(Application.id).where(
        Application.program_id == program_id, Application.child_id == child_id,
        Application.owner == principal.subject, Application.enrolled_at.is_not(None)).limit(1))
    if was_enrolled is None:
        raise forbidden()
    review = Review(id=uuid.uuid4(), program_id=program_id, child_id=child_id, owner=principal.subject,
                    rating=rating, text=text)
    session.add(review)
    try:
        await session.flush()
    except IntegrityError:
        raise conflict("review-exists", "Отзыв об этой программе для этого ребёнка уже оставлен") from None
    program.rating_sum += rating
    program.rating_count += 1
    await search_projection.rated(session, program_id, program.rating_sum / program.rating_count)
    await session.refresh(review)
    return review
