"""Certificates: activation by the operator, balance, ledger, lookup by number."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from pfdo_events.certificates import CertificateActivated
from pfdo_kit.auth import Principal, current_principal, forbidden, require_role
from pfdo_kit.errors import API_ERRORS, conflict, invalid, not_found
from services.certificates.api.schemas import CertificateOut, LedgerEntryOut
from services.certificates.api.views import certificate_view
from services.certificates.balance_news import announce_balance
from services.certificates.closing import close, close_adults
from services.certificates.domain.access import is_district_staff_for, sees_child
from services.certificates.domain.certificate_number import number_ok
from services.certificates.models import Certificate, Child, LedgerEntry, ProviderAccess

router = APIRouter(prefix="/api/v1", tags=["certificates"], responses=API_ERRORS)
NOT_FOUND = "Сертификат не найден"


class CertificateCard(BaseModel):
    """What a provider learns from a number the family gave them: no name, no money."""

    id: uuid.UUID
    number: str
    status: str
    kind: str
    municipality: str


async def _visible(session, certificate_id: uuid.UUID, principal: Principal, *, lock: bool = False,
                   providers_too: bool = False) -> Certificate:
    cert = await session.get(Certificate, certificate_id, with_for_update=lock)
    if cert is None:
        raise not_found(NOT_FOUND)
    child = await session.get(Child, cert.child_id) if cert.child_id else None
    allowed = is_district_staff_for(principal, cert.municipality) or (
        child is not None and sees_child(principal, child.owner, child.municipality)) or (
        providers_too and principal.role == "provider" and principal.provider_id is not None
        and await session.get(ProviderAccess, (principal.provider_id, cert.id)) is not None)
    if not allowed:
        raise not_found(NOT_FOUND)
    return cert


@router.get("/certificates/by-number/{number}", response_model=CertificateOut | CertificateCard)
async def by_number(number: Annotated[str, Path(max_length=20)], request: Request,
                    principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "provider", "operator", "admin")
    if not number_ok(number):
        raise invalid("number", "Проверьте номер сертификата: 10 цифр, контрольная цифра не сходится")
    async with request.app.state.runtime.sessions() as session:
        cert = (await session.execute(select(Certificate).where(Certificate.number == number))).scalar_one_or_none()
    if cert is None or (principal.role == "operator" and cert.municipality != principal.municipality):
        raise not_found(NOT_FOUND)
    if principal.role == "provider":
        return CertificateCard(id=cert.id, number=cert.number, status=cert.status, kind=cert.kind,
                               municipality=cert.municipality)
    return certificate_view(cert)


@router.get("/certificates/{certificate_id}", response_model=CertificateOut)
async def get_certificate(certificate_id: uuid.UUID, request: Request,
                          principal: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session:
        return certificate_view(await _visible(session, certificate_id, principal, providers_too=True))


@router.get("/certificates/{certificate_id}/ledger", response_model=list[LedgerEntryOut])
async def certificate_ledger(certificate_id: uuid.UUID, request: Request,
                             principal: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session:
        await _visible(session, certificate_id, principal)
        rows = (await session.execute(select(LedgerEntry).where(LedgerEntry.certificate_id == certificate_id)
                                      .order_by(LedgerEntry.id))).scalars().all()
    return [LedgerEntryOut.model_validate(r) for r in rows]


# action → (statuses it is allowed from, status it leads to)
_TRANSITIONS = {
    "activate": ({"pending_verification"}, "active"),
    "suspend": ({"active"}, "suspended"),
    "reinstate": ({"suspended"}, "active"),
}


async def _transition(certificate_id: uuid.UUID, action: str, request: Request, principal: Principal):
    rt = request.app.state.runtime
    sources, target = _TRANSITIONS[action]
    async with rt.sessions() as session, session.begin():
        cert = await _visible(session, certificate_id, principal, lock=True)
        if not is_district_staff_for(principal, cert.municipality):
            raise forbidden()
        if cert.status not in sources:
            raise conflict("illegal-transition", "Действие недоступно для сертификата в этом состоянии", field="status")
        cert.status = target
        if action == "activate":
            child = await session.get(Child, cert.child_id)
            await rt.outbox.add(session, CertificateActivated(
                certificate_id=cert.id, child_id=cert.child_id, owner=child.owner, birth_date=child.birth_date,
                number=cert.number, municipality=cert.municipality, kind=cert.kind))
        await session.flush()
        await announce_balance(session, rt.outbox, cert.id, None)  # carries the new status to the catalog
        return certificate_view(cert)


@router.post("/certificates/{certificate_id}/activate", response_model=CertificateOut,
             summary="Активировать после проверки документов")
async def activate(certificate_id: uuid.UUID, request: Request,
                   principal: Annotated[Principal, Depends(current_principal)]):
    return await _transition(certificate_id, "activate", request, principal)


@router.post("/certificates/{certificate_id}/suspend", response_model=CertificateOut,
             summary="Приостановить: новые заявки не оплачиваются")
async def suspend(certificate_id: uuid.UUID, request: Request,
                  principal: Annotated[Principal, Depends(current_principal)]):
    return await _transition(certificate_id, "suspend", request, principal)


@router.post("/certificates/{certificate_id}/reinstate", response_model=CertificateOut)
async def reinstate(certificate_id: uuid.UUID, request: Request,
                    principal: Annotated[Principal, Depends(current_principal)]):
    return await _transition(certificate_id, "reinstate", request, principal)


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Literal["turned_18", "moved", "duplicate"]


class ClosedCount(BaseModel):
    closed: int


@router.post("/certificates/close-adults", response_model=ClosedCount)
async def close_certificates_of_adults(request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    """Close every certificate whose child has turned 18 (the operator's municipality, or all for an admin)."""
    require_role(principal, "operator", "admin")
    rt, total = request.app.state.runtime, 0
    while True:
        async with rt.sessions() as session, session.begin():
            closed = await close_adults(session, rt.outbox, date.today(),
                                        None if principal.role == "admin" else principal.municipality)
        total += closed
        if closed == 0:
            return ClosedCount(closed=total)


@router.post("/certificates/{certificate_id}/close", response_model=CertificateOut)
async def close_certificate(certificate_id: uuid.UUID, body: CloseIn, request: Request,
                            principal: Annotated[Principal, Depends(current_principal)]):
    rt = request.app.state.runtime
    async with rt.sessions() as session, session.begin():
        cert = await _visible(session, certificate_id, principal, lock=True)
        if not is_district_staff_for(principal, cert.municipality):
            raise forbidden()
        if cert.status == "closed":
            raise conflict("illegal-transition", "Сертификат уже закрыт", field="status")
        await close(session, rt.outbox, cert, body.reason)
        await session.refresh(cert)
        return certificate_view(cert)
