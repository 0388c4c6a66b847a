"""GET /groups/{id}/cost?child_id=: how this group would be paid for this child."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import select

from pfdo_kit.auth import Principal, current_principal, require_role
from pfdo_kit.errors import API_ERRORS, not_found
from services.catalog.api.applications import pricing
from services.catalog.applications import register_for
from services.catalog.domain.payment_check import Facts, verdict
from services.catalog.models import CertificateCopy, Group, Module, Program, Provider
from services.certificates.domain.age import age_on

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=API_ERRORS)


class MonthCost(BaseModel):
    month: str
    certificate_kop: int
    copay_kop: int


class CostOut(BaseModel):
    payment: str
    reasons: list[str]
    reasons_ru: list[str]
    free_left: int | None = None
    monthly: list[MonthCost]
    total_kop: int


@router.get("/groups/{group_id}/cost", response_model=CostOut, summary="Как будет оплачено обучение")
async def group_cost(group_id: uuid.UUID, child_id: Annotated[uuid.UUID, Query()], request: Request,
                     principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "parent")
    today = date.today()
    async with request.app.state.runtime.sessions() as session:
        cert = (await session.execute(select(CertificateCopy).where(CertificateCopy.child_id == child_id))).scalar()
        group = await session.get(Group, group_id)
        if cert is None or cert.owner != principal.subject or group is None:
            raise not_found("Группа или ребёнок не найдены")
        program = await session.get(Program, group.program_id)
        provider = await session.get(Provider, program.provider_id)
        module = await session.get(Module, group.module_id)
    if program.status != "published":
        raise not_found("Группа или ребёнок не найдены")
    register = register_for(program, today)
    shares = pricing(request).shares(program, module, group, register)
    year = max(today, group.starts_on).year
    in_period = sum(c for m, c, _ in shares if m.startswith(f"{year}-"))
    result = verdict(Facts(
        certificate_active=cert.status == "active", child_age=age_on(cert.birth_date, max(today, group.starts_on)),
        min_age=program.min_age, max_age=program.max_age, free_seats=group.capacity - group.taken,
        enrollment_open=group.enrollment_open and group.ends_on >= today,
        provider_approved=provider.status == "approved", register=register, certificate_share_kop=in_period,
        # An accounting certificate gets its nominal on the first certified enrollment (quota allowing).
        available_kop=None if cert.kind == "accounting" else cert.available_kop,
        free_left=(cert.free_left or {}).get(register) if cert.free_left is not None else None))
    if register not in ("certified", "family"):
        shares = [(m, 0, 0) for m, _, _ in shares]  # a free budget program costs the family nothing
    return CostOut(payment=result.payment, reasons=result.reasons, reasons_ru=result.reasons_ru,
                   free_left=result.free_left,
                   monthly=[MonthCost(month=m, certificate_kop=c, copay_kop=p) for m, c, p in shares],
                   total_kop=sum(c + p for _, c, p in shares))
