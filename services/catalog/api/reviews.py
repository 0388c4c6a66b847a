"""Reviews: only a family whose child was enrolled in the program rates it, once per child."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.catalog.api.schemas import ReviewIn, ReviewOut
from services.catalog.flows import reviews as flow
from services.catalog.queries.reviews import reviews_of

router = APIRouter(prefix="/api/v1", tags=["reviews"], responses=API_ERRORS)


@router.post("/programs/{program_id}/reviews", status_code=status.HTTP_201_CREATED, response_model=ReviewOut)
async def add_review(program_id: uuid.UUID, body: ReviewIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        review = await flow.add(session, program_id, principal, body.child_id, body.rating, body.text)
        return ReviewOut.model_validate(review)


@router.get("/programs/{program_id}/reviews", response_model=list[ReviewOut])
async def list_reviews(program_id: uuid.UUID, rt: Runtime):
    async with rt.sessions() as session:
        return [ReviewOut.model_validate(r) for r in await reviews_of(session, program_id)]
