"""Applications: the family applies, the provider accepts or rejects, the family may cancel."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from pfdo_events.catalog import ApplicationSubmitted
from pfdo_kit import idempotency as idem
from pfdo_kit.auth import Principal, current_principal, forbidden, require_role
from pfdo_kit.errors import API_ERRORS, conflict, invalid, not_found
from services.catalog import applications as flow
from services.catalog.domain.working_days import add_working_days
from services.catalog.models import Application, CertificateCopy, Group, Program, Provider, idempotency_keys
from services.certificates.domain.age import age_on

router = APIRouter(prefix="/api/v1", tags=["applications"], responses=API_ERRORS)
NOT_FOUND = "Заявка не найдена"
DECISION_DAYS = 7


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group_id: uuid.UUID
    certificate_id: uuid.UUID


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


class ApplicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    status: str
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    group_id: uuid.UUID
    program_id: uuid.UUID
    provider_id: uuid.UUID
    reason: str | None
    decide_by: date
    created_at: datetime


def pricing(request: Request) -> flow.Pricing:
    s = request.app.state.settings
    return flow.Pricing(s.normative_kop_per_hour, s.normative_coefficient_permille)


def _sees(principal: Principal, app: Application) -> bool:
    return ((principal.role == "parent" and principal.subject == app.owner)
            or (principal.role == "provider" and principal.provider_id == app.provider_id)
            or principal.role == "admin"
            or (principal.role == "operator" and principal.municipality == app.municipality))


@router.post("/applications", status_code=status.HTTP_201_CREATED, response_model=ApplicationOut)
async def apply(body: ApplicationIn, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "parent")
    rt, today = request.app.state.runtime, date.today()
    async with rt.sessions() as session, session.begin():
        if (replay := await idem.replay_or_claim(session, idempotency_keys, request, principal.subject)) is not None:
            return replay
        cert = await session.get(CertificateCopy, body.certificate_id)
        if cert is None or cert.owner != principal.subject:
            raise invalid("certificate_id", "Сертификат не найден среди сертификатов ваших детей")
        if cert.status != "active":
            raise conflict("certificate-inactive", "Сертификат ещё не активирован или закрыт", field="certificate_id")
        group = await session.get(Group, body.group_id)
        program = await session.get(Program, group.program_id) if group else None
        provider = await session.get(Provider, program.provider_id) if program else None
        if group is None or program.status != "published" or provider.status != "approved":
            raise invalid("group_id", "Группа не найдена или поставщик не принимает заявки")
        if not group.enrollment_open or group.ends_on < today:
            raise conflict("enrollment-closed", "Набор в группу закрыт", field="group_id")
        age = age_on(cert.birth_date, max(today, group.starts_on))
        if not program.min_age <= age <= program.max_age:
            raise invalid("group_id", f"Программа для детей {program.min_age}–{program.max_age} лет, ребёнку {age}")
        app = Application(id=uuid.uuid4(), status="submitted", owner=principal.subject, child_id=cert.child_id,
                          certificate_id=cert.id, group_id=group.id, program_id=program.id, provider_id=provider.id,
                          municipality=program.municipality, holds_seat=False,
                          decide_by=add_working_days(today, DECISION_DAYS))
        session.add(app)
        try:
            await session.flush()
        except IntegrityError:
            raise conflict("application-exists", "Заявка этого ребёнка в эту группу уже подана", field="group_id") from None
        await rt.outbox.add(session, ApplicationSubmitted(application_id=app.id, child_id=app.child_id,
                                                          certificate_id=app.certificate_id,
                                                          provider_id=app.provider_id, group_id=app.group_id))
        await session.refresh(app)
        out = ApplicationOut.model_validate(app)
        await idem.remember(session, idempotency_keys, request, 201, out.model_dump(mode="json"))
        return out


@router.get("/applications", response_model=list[ApplicationOut])
async def list_applications(request: Request, principal: Annotated[Principal, Depends(current_principal)],
                            status_: Annotated[str | None, Query(alias="status", max_length=30)] = None,
                            limit: Annotated[int, Query(ge=1, le=500)] = 100):
    query = select(Application)
    if principal.role == "parent":
        query = query.where(Application.owner == principal.subject)
    elif principal.role == "provider":
        query = query.where(Application.provider_id == principal.provider_id)
    elif principal.role == "operator":
        query = query.where(Application.municipality == principal.municipality)
    if status_:
        query = query.where(Application.status == status_)
    async with request.app.state.runtime.sessions() as session:
        rows = (await session.execute(query.order_by(Application.created_at, Application.id).limit(limit))).scalars()
        return [ApplicationOut.model_validate(a) for a in rows]


async def _locked(session, application_id: uuid.UUID, principal: Principal) -> Application:
    app = await session.get(Application, application_id, with_for_update=True)
    if app is None or not _sees(principal, app):
        raise not_found(NOT_FOUND)
    return app


def _illegal(app: Application):
    return conflict("illegal-transition", "Действие недоступно для заявки в этом состоянии", field="status",
                    detail=f"application is {app.status}")


async def _act(request: Request, principal: Principal, application_id: uuid.UUID, role: str,
               allowed: set[str], action) -> ApplicationOut:
    """Lock the application, check who acts and from which status, do it, answer the new state."""
    rt = request.app.state.runtime
    async with rt.sessions() as session, session.begin():
        if (replay := await idem.replay_or_claim(session, idempotency_keys, request, principal.subject)) is not None:
            return replay
        app = await _locked(session, application_id, principal)
        if principal.role != role:
            raise forbidden()
        if app.status not in allowed:
            raise _illegal(app)
        await action(session, rt, app)
        await session.flush()
        await session.refresh(app)
        out = ApplicationOut.model_validate(app)
        await idem.remember(session, idempotency_keys, request, 200, out.model_dump(mode="json"))
        return out


@router.post("/applications/{application_id}/accept", response_model=ApplicationOut)
async def accept(application_id: uuid.UUID, request: Request,
                 principal: Annotated[Principal, Depends(current_principal)]):
    async def do(session, rt, app):
        await flow.accept(session, rt.outbox, app, date.today(), pricing(request))
    return await _act(request, principal, application_id, "provider", {"submitted"}, do)


@router.post("/applications/{application_id}/reject", response_model=ApplicationOut)
async def reject(application_id: uuid.UUID, body: ReasonIn, request: Request,
                 principal: Annotated[Principal, Depends(current_principal)]):
    async def do(session, rt, app):
        await flow.let_go(session, app, "rejected", request.app.state.settings.offer_hours, body.reason)
    return await _act(request, principal, application_id, "provider", {"submitted", "waitlisted"}, do)


@router.post("/applications/{application_id}/cancel", response_model=ApplicationOut)
async def cancel(application_id: uuid.UUID, request: Request,
                 principal: Annotated[Principal, Depends(current_principal)]):
    async def do(session, rt, app):
        await flow.cancel(session, rt.outbox, app, request.app.state.settings.offer_hours)
    return await _act(request, principal, application_id, "parent",
                      {"submitted", "waitlisted", "offered", "accepted", "awaiting_signature"}, do)


@router.post("/applications/{application_id}/confirm", response_model=ApplicationOut,
             summary="Подтвердить предложенное место из очереди")
async def confirm_offer(application_id: uuid.UUID, request: Request,
                        principal: Annotated[Principal, Depends(current_principal)]):
    async def do(session, rt, app):
        if app.offered_until is None or app.offered_until < datetime.now(UTC):
            raise _illegal(app)
        await flow.announce_acceptance(session, rt.outbox, app, date.today(), pricing(request))
    return await _act(request, principal, application_id, "parent", {"offered"}, do)
