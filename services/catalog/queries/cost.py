"""«How will this be paid»: for one child and one group, before the family applies."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, require_role
from pfdo_kit.errors import not_found
from services.catalog.domain.payment_check import Verdict, check
from services.catalog.domain.payment_plan import Pricing
from services.catalog.domain.registers import is_free
from services.catalog.domain.statuses import PUBLISHED
from services.catalog.queries.payment_inputs import payment_inputs

NOT_FOUND = "Группа или ребёнок не найдены"


async def group_cost(session: AsyncSession, group_id: uuid.UUID, child_id: uuid.UUID, principal: Principal,
                     today: date, pricing: Pricing) -> tuple[Verdict, list[tuple[str, int, int]]]:
    """The verdict and the monthly (month, certificate kop, family kop) shares."""
    require_role(principal, "parent")
    inputs = await payment_inputs(session, group_id, today, child_id=child_id)
    cert, group, program = inputs.cert, inputs.group, inputs.program
    if cert is None or cert.owner != principal.subject or group is None:
        raise not_found(NOT_FOUND)
    if program.status != PUBLISHED:
        raise not_found(NOT_FOUND)
    found = check(cert, program, inputs.provider, inputs.module, group, today, pricing, inputs.agreement)
    register, shares = found.register, found.shares
    if is_free(register):
        shares = [(m, 0, 0) for m, _, _ in shares]  # a free budget program costs the family nothing
    return found.verdict, shares
