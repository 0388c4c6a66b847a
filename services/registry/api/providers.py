"""HTTP routes of the provider registry: each translates a request into a flow call and its
result into the answer."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, OptionalPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.municipalities import known
from pfdo_kit.pagination import PageQuery
from services.registry.api import descriptions as texts
from services.registry.api.schemas import (
    KIND_DESCRIPTION,
    STATUS_DESCRIPTION,
    ChangeOut,
    ChangePage,
    ProviderCard,
    ProviderDecisionIn,
    ProviderFull,
    ProviderIn,
    ProviderPage,
    ProviderPublic,
    VenueIn,
    VenueOut,
)
from services.registry.domain import access
from services.registry.domain.provider_rules import ProviderKind
from services.registry.domain.statuses import TRANSITIONS, ProviderStatus
from services.registry.flows import providers as flows
from services.registry.models import Provider, Venue
from services.registry.queries import providers as queries

router = APIRouter(prefix="/api/v1", tags=["registry"], responses=API_ERRORS)


def _venue(v: Venue) -> VenueOut:
    return VenueOut(id=v.id, title=v.title, address=v.address)


def _view(p: Provider, venues: list[Venue], principal: Principal | None) -> ProviderPublic | ProviderFull:
    model = ProviderFull if access.sees_full(principal, p.id, p.municipality, p.submitted_by) else ProviderPublic
    return model.model_validate(p, from_attributes=True).model_copy(update={"venues": [_venue(v) for v in venues]})


async def _answer(session: AsyncSession, provider_id: uuid.UUID, principal: Principal | None) -> ProviderPublic | ProviderFull:
    provider = await queries.visible(session, provider_id, principal)
    return _view(provider, (await queries.venues_of(session, [provider.id]))[provider.id], principal)


@router.post("/providers", status_code=status.HTTP_201_CREATED, response_model=ProviderFull,
             summary="Подать заявку поставщика в реестр", description=texts.SUBMIT,
             response_description="Поставщик в статусе submitted, полная карточка")
async def submit_provider(body: ProviderIn, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        provider = await flows.submit(session, rt.outbox, body, principal, clock.today(), rt.settings.municipalities)
        return await _answer(session, provider.id, principal)


@router.get("/providers", response_model=ProviderPage, summary="Реестр поставщиков", description=texts.LIST,
            response_description="Страница реестра")
async def list_providers(
    principal: OptionalPrincipal,
    rt: Runtime,
    params: PageQuery,
    status_: Annotated[ProviderStatus | None, Query(alias="status", description=STATUS_DESCRIPTION)] = None,
    municipality: Annotated[str | None, Query(max_length=100, description="Код муниципалитета поставщика")] = None,
    kind: Annotated[ProviderKind | None, Query(description=KIND_DESCRIPTION)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Часть названия или ИНН целиком")] = None,
):
    if municipality is not None:
        known(rt.settings.municipalities, municipality)
    async with rt.reads() as session:
        rows, total = await queries.page(session, principal, params, status=status_, municipality=municipality,
                                         kind=kind, q=q)
        venues = await queries.venues_of(session, [p.id for p in rows])
    return params.of(ProviderPage, [_view(p, venues[p.id], principal) for p in rows], total)


@router.get("/providers/{provider_id}", response_model=ProviderCard, summary="Карточка поставщика",
            description=texts.GET, response_description="Полная или публичная карточка (поле view)")
async def get_provider(provider_id: uuid.UUID, principal: OptionalPrincipal, rt: Runtime):
    async with rt.reads() as session:
        return await _answer(session, provider_id, principal)


@router.get("/providers/{provider_id}/history", response_model=ChangePage, summary="История изменений поставщика",
            description=texts.HISTORY, response_description="Страница истории")
async def list_provider_history(provider_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, params: PageQuery):
    async with rt.reads() as session:
        rows, total = await queries.history(session, provider_id, principal, params)
    return params.of(ChangePage, [ChangeOut.model_validate(r) for r in rows], total)


def _decision_route(action: str) -> None:
    if TRANSITIONS[action].needs_reason:
        examples = {"reason": {"summary": "С причиной",
                               "value": {"reason": "Истёк срок действия лицензии на образовательную деятельность"}}}
    else:
        examples = {"empty": {"summary": "Без причины", "value": {}},
                    "reason": {"summary": "С причиной для истории", "value": {"reason": "Документы проверены"}}}

    async def route(provider_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime,
                    body: ProviderDecisionIn | None = None):
        async with rt.sessions() as session, session.begin():
            await flows.decide(session, rt.outbox, provider_id, action, body.reason if body else None, principal)
            return await _answer(session, provider_id, principal)

    route.__name__ = f"{action}_provider"
    router.add_api_route(
        f"/providers/{{provider_id}}/{action}", route, methods=["POST"], response_model=ProviderFull,
        summary=texts.decision_summary(action), description=texts.decision_description(action),
        response_description="Поставщик после решения, полная карточка",
        openapi_extra={"requestBody": {"content": {"application/json": {"examples": examples}}}})


for _action in TRANSITIONS:
    _decision_route(_action)


@router.post("/providers/{provider_id}/venues", status_code=status.HTTP_201_CREATED, response_model=VenueOut,
             summary="Добавить площадку поставщика", description=texts.ADD_VENUE,
             response_description="Добавленная площадка")
async def add_provider_venue(provider_id: uuid.UUID, body: VenueIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return _venue(await flows.add_venue(session, provider_id, body, principal))
