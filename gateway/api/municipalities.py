"""The installation's municipalities: what a registration form offers and a child's record names."""
from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.api.schemas import MunicipalityPage
from pfdo_kit.errors import problem_responses
from pfdo_kit.pagination import PageQuery

router = APIRouter(prefix="/api/v1", tags=["municipalities"])


@router.get("/municipalities", response_model=MunicipalityPage, summary="Муниципалитеты региона",
            description="Муниципалитеты этой установки: код (его принимают регистрация, ребёнок, учётные записи "
                        "операторов), название и ОКТМО. Доступно без входа. Список задаётся конфигурацией региона.",
            responses=problem_responses(422))
async def list_municipalities(request: Request, params: PageQuery) -> MunicipalityPage:
    every = request.app.state.settings.municipalities
    return params.of(MunicipalityPage, every[params.offset:params.offset + params.page_size], len(every))
