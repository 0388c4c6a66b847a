"""Reviews: only a family whose child was enrolled in the program rates it, once per child."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.catalog.api.schemas import ReviewIn, ReviewOut, ReviewPage
from services.catalog.flows import reviews as flow
from services.catalog.queries.reviews import reviews_of

router = APIRouter(prefix="/api/v1", tags=["reviews"], responses=API_ERRORS)


@router.post(
    "/programs/{program_id}/reviews", status_code=status.HTTP_201_CREATED, response_model=ReviewOut,
    summary="Оставить отзыв о программе",
    description="Родитель, чей ребёнок был зачислен на программу (договор подписан), ставит оценку от 1 до 5 и "
                "пишет отзыв — один раз на ребёнка и программу: второй раз — 409. Ребёнок не был зачислен или "
                "не родитель — 403; нет программы — 404. Средняя оценка и число отзывов видны в карточке "
                "программы и в поиске.")
async def create_program_review(program_id: uuid.UUID, body: ReviewIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        review = await flow.add(session, program_id, principal, body.child_id, body.rating, body.text)
        return ReviewOut.model_validate(review)


@router.get(
    "/programs/{program_id}/reviews", response_model=ReviewPage, summary="Отзывы о программе",
    description="Доступно всем, без входа. Отзывы о программе, новые сначала, постранично.")
async def list_program_reviews(program_id: uuid.UUID, rt: Runtime, params: PageQuery):
    async with rt.reads() as session:
        rows, total = await reviews_of(session, program_id, params)
    return params.of(ReviewPage, [ReviewOut.model_validate(row.Review) for row in rows], total)
