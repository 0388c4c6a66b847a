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
from services.registry.api.schemas import (
    ChangeOut,
    PaymentAgreementIn,
    ProviderFull,
    ProviderIn,
    ProviderKind,
    ProviderPage,
    ProviderPublic,
    ProviderStatus,
    ReasonIn,
    VenueIn,
    VenueOut,
)
from services.registry.domain import access
from services.registry.flows import providers as flows
from services.registry.queries import providers as queries
from services.registry.models import Provider, Venue

router = APIRouter(prefix="/api/v1", tags=["registry"], responses=API_ERRORS)


def _venue(v: Venue) -> VenueOut:
    return VenueOut(id=v.id, title=v.title, address=v.address)


def _view(p: Provider, venues: list[Venue], principal: Principal | None) -> ProviderPublic | ProviderFull:
    model = ProviderFull if access.sees_full(principal, p.id, p.municipality, p.submitted_by) else ProviderPublic
    return model.model_validate(p, from_attributes=True).model_copy(update={"venues": [_venue(v) for v in venues]})


async def _answer(session: AsyncSession, provider_id: uuid.UUID, principal: Principal | None) -> ProviderPublic | ProviderFull:
    provider = await queries.visible(session, provider_id, principal)
    return _view(provider, (await queries.venues_of(session, [provider.id]))[provider.id], principal)


@router.post("/providers", status_code=status.HTTP_201_CREATED, response_model=ProviderFull)
async def submit_provider(body: ProviderIn, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        provider = await flows.submit(session, rt.outbox, body, principal, clock.today())
        return await _answer(session, provider.id, principal)


@router.get("/providers", response_model=ProviderPage)
async def list_providers(
    principal: OptionalPrincipal,
    rt: Runtime,
    status_: Annotated[ProviderStatus | None, Query(alias="status")] = None,
    municipality: Annotated[str | None, Query(max_length=100)] = None,
    kind: ProviderKind | None = None,
    q: Annotated[str | None, Query(max_length=200, description="часть названия или ИНН")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
):
    async with rt.sessions() as session:
        rows, total = await queries.page(session, principal, status=status_, municipality=municipality, kind=kind,
                                       q=q, number=page, size=page_size)
        venues = await queries.venues_of(session, [p.id for p in rows])
    return ProviderPage(items=[_view(p, venues[p.id], principal) for p in rows],
                        total=total, page=page, page_size=page_size)


@router.get("/providers/{provider_id}", response_model=ProviderFull | ProviderPublic)
async def get_provider(provider_id: uuid.UUID, principal: OptionalPrincipal, rt: Runtime):
    async with rt.sessions() as session:
        return await _answer(session, provider_id, principal)


@router.get("/providers/{provider_id}/history", response_model=list[ChangeOut])
async def provider_history(provider_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session:
        return [ChangeOut.model_validate(r) for r in await queries.history(session, provider_id, principal)]


def _decision_route(action: str, summary: str) -> None:
    async def route(provider_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, body: ReasonIn | None = None):
        async with rt.sessions() as session, session.begin():
            await flows.decide(session, rt.outbox, provider_id, action, body.reason if body else None, principal)
            return await _answer(session, provider_id, principal)

    route.__name__ = f"{action}_provider"
    router.add_api_route(f"/providers/{{provider_id}}/{action}", route, methods=["POST"],
                         response_model=ProviderFull, summary=summary)


for _action, _summary in (
    ("approve", "Допустить поставщика в реестр"),
    ("reject", "Отклонить заявку поставщика (с причиной)"),
    ("suspend", "Приостановить поставщика (с причиной)"),
    ("reinstate", "Восстановить приостановленного поставщика"),
    ("exclude", "Исключить поставщика из реестра (окончательно, с причиной)"),
):
    _decision_route(_action, _summary)


@router.put("/providers/{provider_id}/payment-agreement", response_model=ProviderFull)
async def set_payment_agreement(provider_id: uuid.UUID, body: PaymentAgreementIn, principal: CurrentPrincipal,
                                rt: Runtime):
    async with rt.sessions() as session, session.begin():
        await flows.set_payment_agreement(session, rt.outbox, provider_id, body, principal)
        return await _answer(session, provider_id, principal)


@router.post("/providers/{provider_id}/venues", status_code=status.HTTP_201_CREATED, response_model=VenueOut)
async def add_venue(provider_id: uuid.UUID, body: VenueIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return _venue(await flows.add_venue(session, provider_id, body, principal))
