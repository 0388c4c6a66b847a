"""Certificates: activation by the operator, balance, ledger, lookup by number, closing."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.certificates.api.schemas import (
    CertificateCard,
    CertificateOut,
    CloseIn,
    LedgerEntryOut,
    RunOut,
    SuspendIn,
)
from services.certificates.api.views import certificate_view, run_href, run_view
from services.certificates.domain.access import STAFF_ROLES, adults_scope
from services.certificates.flows import certificates
from services.certificates.flows.runs import request_run
from services.certificates.queries.certificates import find_by_number, funding_outlook_of, visible
from services.certificates.queries.ledger import entries_of
from services.certificates.queries.runs import visible_run

router = APIRouter(prefix="/api/v1", tags=["certificates"], responses=API_ERRORS)


@router.get("/certificates/by-number/{number}", response_model=CertificateOut | CertificateCard)
async def by_number(number: Annotated[str, Path(max_length=20)], principal: CurrentPrincipal, rt: Runtime,
                    clock: CurrentClock):
    require_role(principal, "provider", *STAFF_ROLES)
    async with rt.sessions() as session:
        cert = await find_by_number(session, principal, number)
        if principal.role == "provider":
            return CertificateCard(id=cert.id, number=cert.number, status=cert.status, kind=cert.kind,
                                   municipality=cert.municipality)
        return certificate_view(cert, await funding_outlook_of(session, cert, clock.today()))


@router.get("/certificates/{certificate_id}", response_model=CertificateOut)
async def get_certificate(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    """The certificate and its balance. An active accounting certificate holds 0 ₽ until its first
    enrollment in a certified program: `expected_credit_kop`, `funding_reason` and `funding_note`
    say what that enrollment would credit today, or why nothing."""
    async with rt.sessions() as session:
        cert = await visible(session, principal, certificate_id, providers_too=True)
        return certificate_view(cert, await funding_outlook_of(session, cert, clock.today()))


@router.get("/certificates/{certificate_id}/ledger", response_model=list[LedgerEntryOut])
async def certificate_ledger(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session:
        await visible(session, principal, certificate_id)
        rows = await entries_of(session, certificate_id)
    return [LedgerEntryOut.model_validate(r) for r in rows]


async def _change_status(certificate_id: uuid.UUID, action: str, principal, rt, reason: str | None = None
                         ) -> CertificateOut:
    async with rt.sessions() as session, session.begin():
        cert = await certificates.change_status(session, rt.outbox, principal, certificate_id, action, reason)
        return certificate_view(cert, await funding_outlook_of(session, cert, rt.clock.today()))


@router.post("/certificates/{certificate_id}/activate", response_model=CertificateOut,
             summary="Активировать после проверки документов")
async def activate(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    return await _change_status(certificate_id, "activate", principal, rt)


@router.post("/certificates/{certificate_id}/suspend", response_model=CertificateOut,
             summary="Приостановить: новые заявки не оплачиваются")
async def suspend(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, body: SuspendIn | None = None):
    return await _change_status(certificate_id, "suspend", principal, rt, body.reason if body else None)


@router.post("/certificates/{certificate_id}/reinstate", response_model=CertificateOut)
async def reinstate(certificate_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    return await _change_status(certificate_id, "reinstate", principal, rt)


@router.post("/certificates/close-adults", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut,
             summary="Закрыть сертификаты детей, которым исполнилось 18")
async def close_certificates_of_adults(response: Response, principal: CurrentPrincipal, rt: Runtime,
                                       clock: CurrentClock):
    """The operator's municipality, or all for an admin. Runs in the background; asking again
    while it runs answers the same run. Progress: `GET /certificates/close-adults/{run_id}`."""
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session, session.begin():
        run = await request_run(session, "close_adults", principal.actor, clock.now(),
                                municipality=adults_scope(principal))
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.get("/certificates/close-adults/{run_id}", response_model=RunOut)
async def close_adults_progress(run_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session:
        return run_view(await visible_run(session, principal, run_id, period_year=None))


@router.post("/certificates/{certificate_id}/close", response_model=CertificateOut)
async def close_certificate(certificate_id: uuid.UUID, body: CloseIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return certificate_view(await certificates.close_by_staff(session, rt.outbox, principal, certificate_id,
                                                                  body.reason))
