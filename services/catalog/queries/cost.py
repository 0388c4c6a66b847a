"""«How will this be paid»: for one child and one group, before the family applies."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, require_role
from pfdo_kit.calendar import age_on
from pfdo_kit.errors import not_found
from services.catalog.domain.payment_check import Facts, Verdict, verdict
from services.catalog.domain.payment_plan import Pricing, period_year
from services.catalog.domain.registers import is_free, register_for
from services.catalog.domain.statuses import CERTIFICATE_ACTIVE, PROVIDER_APPROVED, PUBLISHED
from services.catalog.models import CertificateCopy, Group, Module, Program, Provider

NOT_FOUND = "Группа или ребёнок не найдены"


async def group_cost(session: AsyncSession, group_id: uuid.UUID, child_id: uuid.UUID, principal: Principal,
                     today: date, pricing: Pricing) -> tuple[Verdict, list[tuple[str, int, int]]]:
    """The verdict and the monthly (month, certificate kop, family kop) shares."""
    require_role(principal, "parent")
    cert = (await session.execute(select(CertificateCopy).where(CertificateCopy.child_id == child_id))).scalar()
    group = await session.get(Group, group_id)
    if cert is None or cert.owner != principal.subject or group is None:
        raise not_found(NOT_FOUND)
    program = await session.get(Program, group.program_id)
    provider = await session.get(Provider, program.provider_id)
    module = await session.get(Module, group.module_id)
    if program.status != PUBLISHED:
        raise not_found(NOT_FOUND)
    register = register_for(program.registers, program.certified_until, today)
    shares = pricing.shares(program, module, group, register)
    year = period_year(today, group.starts_on)
    in_period = sum(c for m, c, _ in shares if m.startswith(f"{year}-"))
    result = verdict(Facts(
        certificate_active=cert.status == CERTIFICATE_ACTIVE,
        child_age=age_on(cert.birth_date, max(today, group.starts_on)),
        min_age=program.min_age, max_age=program.max_age, free_seats=group.capacity - group.taken,
        enrollment_open=group.enrollment_open and group.ends_on >= today,
        provider_approved=provider.status == PROVIDER_APPROVED, register=register, certificate_share_kop=in_period,
        # An accounting certificate gets its nominal on the first certified enrollment (quota allowing).
        available_kop=None if cert.kind == "accounting" else cert.available_kop,
        free_left=(cert.free_left or {}).get(register) if cert.free_left is not None else None))
    if is_free(register):
        shares = [(m, 0, 0) for m, _, _ in shares]  # a free budget program costs the family nothing
    return result, shares
