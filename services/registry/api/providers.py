"""HTTP routes of the provider registry. Thin: access checks, then workflow."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, current_principal, forbidden, optional_principal
from pfdo_kit.errors import API_ERRORS, not_found
from services.registry import workflow
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
from services.registry.domain.statuses import APPROVED
from services.registry.models import Provider, ProviderChange, Venue

router = APIRouter(prefix="/api/v1", tags=["registry"], responses=API_ERRORS)

NOT_FOUND = "Поставщик не найден"


def _runtime(request: Request):
    return request.app.state.runtime


async def _venues(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[VenueOut]]:
    out: dict[uuid.UUID, list[VenueOut]] = {i: [] for i in ids}
    if ids:
        rows = (await session.execute(
            select(Venue).where(Venue.provider_id.in_(ids)).order_by(Venue.created_at, Venue.id))).scalars()
        for v in rows:
            out[v.provider_id].append(VenueOut(id=v.id, title=v.title, address=v.address))
    return out


def _view(p: Provider, venues: list[VenueOut], principal: Principal | None) -> ProviderPublic | ProviderFull:
    model = ProviderFull if access.sees_full(principal, p.id, p.municipality, p.submitted_by) else ProviderPublic
    return model.model_validate(p, from_attributes=True).model_copy(update={"venues": venues})


async def _one(session: AsyncSession, provider_id: uuid.UUID, principal: Principal | None) -> ProviderPublic | ProviderFull:
    # populate_existing: after a write, re-read server-set columns (updated_at) in this transaction.
    p = await session.get(Provider, provider_id, populate_existing=True)
    if p is None or not access.sees_at_all(principal, p.status, p.id, p.municipality, p.submitted_by):
        raise not_found(NOT_FOUND)
    return _view(p, (await _venues(session, [p.id]))[p.id], principal)


@router.post("/providers", status_code=status.HTTP_201_CREATED, response_model=ProviderFull)
async def submit_provider(body: ProviderIn, request: Request,
                          principal: Annotated[Principal, Depends(current_principal)]):
    if not access.may_submit(principal):
        raise forbidden()
    rt = _runtime(request)
    async with rt.sessions() as session, session.begin():
        provider = await workflow.submit(session, rt.outbox, body, principal, date.today())
        return await _one(session, provider.id, principal)


@router.get("/providers", response_model=ProviderPage)
async def list_providers(
    request: Request,
    principal: Annotated[Principal | None, Depends(optional_principal)],
    status_: Annotated[ProviderStatus | None, Query(alias="status")] = None,
    municipality: Annotated[str | None, Query(max_length=100)] = None,
    kind: ProviderKind | None = None,
    q: Annotated[str | None, Query(max_length=200, description="часть названия или ИНН")] = None,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
):
    query = select(Provider)
    if principal is not None and principal.role == "admin":
        pass
    elif principal is not None and principal.role == "operator":
        # An operator sees every status in their municipality and the public registry elsewhere.
        query = query.where(or_(Provider.municipality == principal.municipality, Provider.status == APPROVED))
    else:
        query = query.where(Provider.status == APPROVED)
    if status_ is not None:
        query = query.where(Provider.status == status_)
    if municipality is not None:
        query = query.where(Provider.municipality == municipality)
    if kind is not None:
        query = query.where(Provider.kind == kind)
    if q:
        like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(Provider.inn == q, Provider.short_name.ilike(like), Provider.full_name.ilike(like)))

    async with _runtime(request).sessions() as session:
        total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = (await session.execute(
            query.order_by(Provider.created_at, Provider.id).offset((page - 1) * page_size).limit(page_size)
        )).scalars().all()
        venues = await _venues(session, [p.id for p in rows])
    return ProviderPage(items=[_view(p, venues[p.id], principal) for p in rows],
                        total=total, page=page, page_size=page_size)


@router.get("/providers/{provider_id}", response_model=ProviderFull | ProviderPublic)
async def get_provider(provider_id: uuid.UUID, request: Request,
                       principal: Annotated[Principal | None, Depends(optional_principal)]):
    async with _runtime(request).sessions() as session:
        return await _one(session, provider_id, principal)


@router.get("/providers/{provider_id}/history", response_model=list[ChangeOut])
async def provider_history(provider_id: uuid.UUID, request: Request,
                           principal: Annotated[Principal, Depends(current_principal)]):
    async with _runtime(request).sessions() as session:
        p = await session.get(Provider, provider_id)
        if p is None or not access.sees_full(principal, p.id, p.municipality, p.submitted_by):
            raise not_found(NOT_FOUND)
        rows = (await session.execute(
            select(ProviderChange).where(ProviderChange.provider_id == provider_id).order_by(ProviderChange.id)
        )).scalars().all()
        return [ChangeOut.model_validate(r) for r in rows]


def _deny(principal: Principal | None, p: Provider):
    """403 to someone who may see the provider, 404 to someone who may not know it exists."""
    if access.sees_at_all(principal, p.status, p.id, p.municipality, p.submitted_by):
        return forbidden()
    return not_found(NOT_FOUND)


async def _decide(provider_id: uuid.UUID, action: str, body: ReasonIn | None, request: Request, principal: Principal):
    rt = _runtime(request)
    async with rt.sessions() as session, session.begin():
        provider = await workflow.load_for_update(session, provider_id)
        if not access.is_district_staff_for(principal, provider.municipality):
            raise _deny(principal, provider)
        await workflow.transition(session, rt.outbox, provider, action, body.reason if body else None, principal)
        return await _one(session, provider.id, principal)


def _decision_route(action: str, summary: str) -> None:
    async def route(provider_id: uuid.UUID, request: Request,
                    principal: Annotated[Principal, Depends(current_principal)],
                    body: ReasonIn | None = None):
        return await _decide(provider_id, action, body, request, principal)

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
async def set_payment_agreement(provider_id: uuid.UUID, body: PaymentAgreementIn, request: Request,
                                principal: Annotated[Principal, Depends(current_principal)]):
    rt = _runtime(request)
    async with rt.sessions() as session, session.begin():
        provider = await workflow.load_for_update(session, provider_id)
        if not access.is_district_staff_for(principal, provider.municipality):
            raise _deny(principal, provider)
        await workflow.set_payment_agreement(session, rt.outbox, provider, body, principal)
        return await _one(session, provider.id, principal)


@router.post("/providers/{provider_id}/venues", status_code=status.HTTP_201_CREATED, response_model=VenueOut)
async def add_venue(provider_id: uuid.UUID, body: VenueIn, request: Request,
                    principal: Annotated[Principal, Depends(current_principal)]):
    rt = _runtime(request)
    async with rt.sessions() as session, session.begin():
        provider = await workflow.load_for_update(session, provider_id)
        if not access.sees_full(principal, provider.id, provider.municipality, provider.submitted_by):
            raise _deny(principal, provider)
        venue = await workflow.add_venue(session, provider, body, principal)
        return VenueOut(id=venue.id, title=venue.title, address=venue.address)
