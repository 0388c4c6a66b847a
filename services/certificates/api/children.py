"""Children and their certificates: added by the parent, certificate requested by the parent."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, status

from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.certificates.api.dependencies import Settings
from services.certificates.api.schemas import CertificateOut, ChildIn, ChildOut, Page
from services.certificates.api.views import certificate_view, child_view
from services.certificates.flows import certificates, children
from services.certificates.queries.children import children_page

router = APIRouter(prefix="/api/v1", tags=["children"], responses=API_ERRORS)


@router.post("/children", status_code=status.HTTP_201_CREATED, response_model=ChildOut)
async def add_child(body: ChildIn, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock, settings: Settings):
    require_role(principal, "parent")
    async with rt.sessions() as session, session.begin():
        child = await children.add_child(session, principal, clock.today(), settings.min_age, settings.max_age,
                                         **body.model_dump())
    return child_view(child, principal)


@router.get("/children", response_model=Page)
async def list_children(principal: CurrentPrincipal, rt: Runtime,
                        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                        page_size: Annotated[int, Query(ge=1, le=100)] = 20):
    async with rt.sessions() as session:
        rows, total = await children_page(session, principal, page, page_size)
    return Page(items=[child_view(c, principal, cert_id) for c, cert_id in rows], total=total, page=page,
                page_size=page_size)


@router.post("/children/{child_id}/certificate", status_code=status.HTTP_201_CREATED, response_model=CertificateOut)
async def request_certificate(child_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock,
                              settings: Settings):
    async with rt.sessions() as session, session.begin():
        cert = await certificates.issue(session, rt.outbox, principal, child_id, clock.today(), settings.min_age,
                                        settings.max_age, settings.number_prefix)
        return certificate_view(cert)
