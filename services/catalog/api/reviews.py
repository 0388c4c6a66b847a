"""Reviews: only a family whose child was enrolled in the program rates it, once per child."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pfdo_kit.auth import Principal, current_principal, forbidden, require_role
from pfdo_kit.errors import API_ERRORS, conflict, not_found
from services.catalog.models import Application, Program, Review

router = APIRouter(prefix="/api/v1", tags=["reviews"], responses=API_ERRORS)


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    child_id: uuid.UUID
    rating: int = Field(ge=1, le=5)
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=3000)]


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    rating: int
    text: str
    created_at: datetime


@router.post("/programs/{program_id}/reviews", status_code=status.HTTP_201_CREATED, response_model=ReviewOut)
async def add_review(program_id: uuid.UUID, body: ReviewIn, request: Request,
                     principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "parent")
    async with request.app.state.runtime.sessions() as session, session.begin():
        program = await session.get(Program, program_id, with_for_update=True)
        if program is None:
            raise not_found("Программа не найдена")
        was_enrolled = await session.scalar(select(Application.id).where(
            Application.program_id == program_id, Application.child_id == body.child_id,
            Application.owner == principal.subject, Application.enrolled_at.is_not(None)).limit(1))
        if was_enrolled is None:
            raise forbidden()
        review = Review(id=uuid.uuid4(), program_id=program_id, child_id=body.child_id, owner=principal.subject,
                        rating=body.rating, text=body.text)
        session.add(review)
        try:
            await session.flush()
        except IntegrityError:
            raise conflict("review-exists", "Отзыв об этой программе для этого ребёнка уже оставлен") from None
        program.rating_sum += body.rating
        program.rating_count += 1
        await session.refresh(review)
        return ReviewOut.model_validate(review)


@router.get("/programs/{program_id}/reviews", response_model=list[ReviewOut])
async def list_reviews(program_id: uuid.UUID, request: Request):
    async with request.app.state.runtime.sessions() as session:
        rows = (await session.execute(select(Review).where(Review.program_id == program_id)
                                      .order_by(Review.created_at.desc()).limit(100))).scalars()
        return [ReviewOut.model_validate(r) for r in rows]
