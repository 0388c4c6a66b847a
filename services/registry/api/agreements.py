"""HTTP routes of payment agreements: a payer municipality's agreement with a provider for a year."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Query

from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.municipalities import known
from pfdo_kit.pagination import PageQuery
from services.registry.api import descriptions as texts
from services.registry.api.schemas import AgreementIn, AgreementOut, AgreementPage
from services.registry.flows import agreements as flows
from services.registry.queries import agreements as queries

router = APIRouter(prefix="/api/v1", tags=["registry"], responses=API_ERRORS)

Year = Annotated[int, Path(ge=2000, le=2100, description="Год соглашения (год средств договоров)")]
Payer = Annotated[str, Path(max_length=100, description="Код муниципалитета-плательщика (список — "
                                                        "GET /api/v1/municipalities)")]


@router.put("/providers/{provider_id}/agreements/{municipality}/{year}", response_model=AgreementOut,
            summary="Заключить или изменить соглашение с поставщиком", description=texts.PUT_AGREEMENT,
            response_description="Соглашение после изменения")
async def put_provider_agreement(provider_id: uuid.UUID, municipality: Payer, year: Year, body: AgreementIn,
                                 principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        agreement = await flows.put(session, rt.outbox, provider_id, municipality, year, body, principal,
                                    rt.settings.municipalities)
        return AgreementOut.model_validate(agreement)


@router.get("/providers/{provider_id}/agreements", response_model=AgreementPage,
            summary="Соглашения поставщика с муниципалитетами", description=texts.LIST_AGREEMENTS,
            response_description="Страница соглашений")
async def list_provider_agreements(
    provider_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, params: PageQuery,
    year: Annotated[int | None, Query(ge=2000, le=2100, description="Только соглашения этого года")] = None,
    municipality: Annotated[str | None, Query(max_length=100, description="Только с этим муниципалитетом")] = None,
    active: Annotated[bool | None, Query(description="true — только действующие, false — только прекращённые")]
    = None,
):
    if municipality is not None:
        known(rt.settings.municipalities, municipality)
    async with rt.reads() as session:
        rows, total = await queries.page(session, provider_id, principal, params, year=year,
                                         municipality=municipality, active=active)
    return params.of(AgreementPage, [AgreementOut.model_validate(a) for a in rows], total)
