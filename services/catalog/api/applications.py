"""Applications: the family applies, the provider accepts or rejects, the family may cancel or
confirm a seat offered from the waitlist."""
from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.idempotency import answer_once
from pfdo_kit.runtime import ServiceRuntime
from services.catalog.api.dependencies import Settings
from services.catalog.api.schemas import ApplicationIn, ApplicationOut, ReasonIn
from services.catalog.flows import applications as flow
from services.catalog.models import Application, idempotency_keys
from services.catalog.queries.applications import applications_for

router = APIRouter(prefix="/api/v1", tags=["applications"], responses=API_ERRORS)


async def _written(request: Request, rt: ServiceRuntime, principal: Principal, status_code: int,
                   write: Callable[[AsyncSession], Awaitable[Application]]):
    """Run one application write in its transaction, once per Idempotency-Key."""
    async with rt.sessions() as session, session.begin():
        async def answer() -> ApplicationOut:
            return ApplicationOut.model_validate(await write(session))
        return await answer_once(session, idempotency_keys, request, principal.subject, status_code, answer)


@router.post("/applications", status_code=status.HTTP_201_CREATED, response_model=ApplicationOut)
async def apply(body: ApplicationIn, request: Request, principal: CurrentPrincipal, rt: Runtime,
                settings: Settings):
    return await _written(request, rt, principal, status.HTTP_201_CREATED, lambda session: flow.apply(
        session, rt.outbox, principal, body.group_id, body.certificate_id, rt.clock.today(), rt.calendar,
        settings.pricing))


@router.get("/applications", response_model=list[ApplicationOut])
async def list_applications(principal: CurrentPrincipal, rt: Runtime,
                            status_: Annotated[str | None, Query(alias="status", max_length=30)] = None,
                            limit: Annotated[int, Query(ge=1, le=500)] = 100):
    async with rt.sessions() as session:
        return [ApplicationOut.model_validate(a) for a in await applications_for(session, principal, status_, limit)]


@router.post("/applications/{application_id}/accept", response_model=ApplicationOut)
async def accept(application_id: uuid.UUID, request: Request, principal: CurrentPrincipal, rt: Runtime,
                 settings: Settings):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.accept(
        session, rt.outbox, application_id, principal, rt.clock.today(), settings.pricing))


@router.post("/applications/{application_id}/reject", response_model=ApplicationOut)
async def reject(application_id: uuid.UUID, body: ReasonIn, request: Request, principal: CurrentPrincipal,
                 rt: Runtime, settings: Settings):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.reject(
        session, rt.outbox, application_id, principal, body.reason, rt.clock, settings.offer_hours))


@router.post("/applications/{application_id}/cancel", response_model=ApplicationOut)
async def cancel(application_id: uuid.UUID, request: Request, principal: CurrentPrincipal, rt: Runtime,
                 settings: Settings):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.cancel(
        session, rt.outbox, application_id, principal, rt.clock, settings.offer_hours))


@router.post("/applications/{application_id}/confirm", response_model=ApplicationOut,
             summary="Подтвердить предложенное место из очереди")
async def confirm_offer(application_id: uuid.UUID, request: Request, principal: CurrentPrincipal, rt: Runtime,
                        settings: Settings):
    return await _written(request, rt, principal, status.HTTP_200_OK, lambda session: flow.confirm(
        session, rt.outbox, application_id, principal, rt.clock, settings.pricing))
