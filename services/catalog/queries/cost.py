"""«How will this be paid»: for one child and one group, before the family applies."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, require_role
from pfdo_kit.errors import not_found
from services.catalog.domain.payment_check import Verdict, check, money_year
from services.catalog.domain.payment_plan import Pricing
from services.catalog.domain.registers import is_free
from services.catalog.domain.statuses import PUBLISHED
from services.catalog.models import CertificateCopy, Group, Module, Program, Provider
from services.catalog.queries.agreements import agreement_facts

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
    agreement = await agreement_facts(session, provider.id, cert.municipality, money_year(today, group))
    found = check(cert, program, provider, module, group, today, pricing, agreement)
    register, shares = found.register, found.shares
    if is_free(register):
        shares = [(m, 0, 0) for m, _, _ in shares]  # a free budget program costs the family nothing
    return found.verdict, shares
