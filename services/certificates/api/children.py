"""Children and their certificates: added by the parent, certificate requested by the parent."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from pfdo_events.certificates import CertificateIssued
from pfdo_kit.auth import Principal, current_principal, forbidden, require_role
from pfdo_kit.errors import API_ERRORS, conflict, invalid, not_found
from services.certificates.api.schemas import CertificateOut, ChildIn, ChildOut, Page
from services.certificates.api.views import certificate_view, child_view
from services.certificates.domain.access import sees_child
from services.certificates.domain.age import age_on, eligible
from services.certificates.domain.certificate_number import make_number
from services.certificates.models import CERTIFICATE_SERIAL, Certificate, Child

router = APIRouter(prefix="/api/v1", tags=["children"], responses=API_ERRORS)
CHILD_NOT_FOUND = "Ребёнок не найден"


@router.post("/children", status_code=status.HTTP_201_CREATED, response_model=ChildOut)
async def add_child(body: ChildIn, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "parent")
    settings, rt = request.app.state.settings, request.app.state.runtime
    today = date.today()
    if body.birth_date > today or age_on(body.birth_date, today) > settings.max_age:
        raise invalid("birth_date", f"Сертификат выдаётся детям от {settings.min_age} до {settings.max_age} лет")
    child = Child(id=uuid.uuid4(), owner=principal.subject, **body.model_dump())
    try:
        async with rt.sessions() as session, session.begin():
            session.add(child)
    except IntegrityError:
        # Same СНИЛС, or the same name and birth date: say nothing about the other family.
        raise conflict("child-exists", "Этот ребёнок уже зарегистрирован. Обратитесь в муниципальный опорный центр",
                       field="snils") from None
    return child_view(child, principal)


@router.get("/children", response_model=Page)
async def list_children(request: Request, principal: Annotated[Principal, Depends(current_principal)],
                        page: Annotated[int, Query(ge=1, le=100_000)] = 1,
                        page_size: Annotated[int, Query(ge=1, le=100)] = 20):
    query = select(Child, Certificate.id).outerjoin(Certificate, Certificate.child_id == Child.id)
    if principal.role == "parent":
        query = query.where(Child.owner == principal.subject)
    elif principal.role == "operator":
        query = query.where(Child.municipality == principal.municipality)
    elif principal.role != "admin":
        raise forbidden()
    async with request.app.state.runtime.sessions() as session:
        total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
        rows = (await session.execute(
            query.order_by(Child.created_at, Child.id).offset((page - 1) * page_size).limit(page_size))).all()
    return Page(items=[child_view(c, principal, cert_id) for c, cert_id in rows], total=total, page=page,
                page_size=page_size)


@router.post("/children/{child_id}/certificate", status_code=status.HTTP_201_CREATED, response_model=CertificateOut)
async def request_certificate(child_id: uuid.UUID, request: Request,
                              principal: Annotated[Principal, Depends(current_principal)]):
    settings, rt = request.app.state.settings, request.app.state.runtime
    async with rt.sessions() as session, session.begin():
        child = await session.get(Child, child_id, with_for_update=True)
        if child is None or not sees_child(principal, child.owner, child.municipality):
            raise not_found(CHILD_NOT_FOUND)
        if not eligible(child.birth_date, date.today(), settings.min_age, settings.max_age):
            raise invalid("birth_date", f"Сертификат выдаётся детям от {settings.min_age} до {settings.max_age} лет")
        if (await session.execute(select(Certificate.id).where(Certificate.child_id == child_id))).first():
            raise conflict("certificate-exists", "У ребёнка уже есть сертификат")
        serial = (await session.execute(CERTIFICATE_SERIAL.next_value().select())).scalar_one()
        cert = Certificate(id=uuid.uuid4(), child_id=child.id, number=make_number(serial, settings.number_prefix),
                           status="pending_verification", kind="accounting", municipality=child.municipality,
                           credited_kop=0, expired_kop=0, held_kop=0, debited_kop=0, reversed_kop=0)
        session.add(cert)
        await session.flush()
        await rt.outbox.add(session, CertificateIssued(
            certificate_id=cert.id, child_id=child.id, owner=child.owner, birth_date=child.birth_date,
            number=cert.number, municipality=cert.municipality))
        await session.refresh(cert)
        return certificate_view(cert)
