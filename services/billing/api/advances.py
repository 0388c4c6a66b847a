"""Advances: from the month's 2nd working day a provider takes up to the district's share of
the month's planned certificate payments, once; the month's invoice subtracts it."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from pfdo_events.catalog import Month
from pfdo_kit import idempotency as idem
from pfdo_kit.auth import Principal, current_principal, require_role
from pfdo_kit.errors import API_ERRORS, conflict, invalid
from services.billing.api.access import today
from services.billing.domain.advances import advance_limit_kop, advance_open
from services.billing.domain.contracts import month_bounds
from services.billing.models import Advance, Contract, ContractMonth, ProviderCopy, idempotency_keys

router = APIRouter(prefix="/api/v1", tags=["advances"], responses=API_ERRORS)


class AdvanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: Month
    amount_kop: int | None = Field(default=None, gt=0, description="по умолчанию — весь доступный лимит")


class AdvanceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    provider_id: uuid.UUID
    month: str
    amount_kop: int
    limit_kop: int
    requested_at: datetime


async def planned_shares_kop(session, provider_id: uuid.UUID, month: str) -> int:
    """The month's certificate shares of the provider's signed contracts still running in it."""
    starts, _ = month_bounds(month)
    return int(await session.scalar(
        select(func.coalesce(func.sum(ContractMonth.certificate_kop), 0))
        .join(Contract, Contract.id == ContractMonth.contract_id)
        .where(Contract.provider_id == provider_id, ContractMonth.month == month, Contract.signed_on.is_not(None),
               or_(Contract.terminated_on.is_(None), Contract.terminated_on >= starts))))


@router.post("/advances", status_code=status.HTTP_201_CREATED, response_model=AdvanceOut, summary="Запросить аванс")
async def request_advance(body: AdvanceIn, request: Request,
                          principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "provider")
    rt, settings, day = request.app.state.runtime, request.app.state.settings, today(request)
    year, mon = int(body.month[:4]), int(body.month[5:7])
    if not advance_open(day, year, mon, frozenset(settings.holidays)):
        raise conflict("advance-closed", "Аванс за месяц можно запросить в этом месяце, начиная со 2-го рабочего дня",
                       field="month")
    async with rt.sessions() as session, session.begin():
        if (replay := await idem.replay_or_claim(session, idempotency_keys, request, principal.subject)) is not None:
            return replay
        provider = await session.get(ProviderCopy, principal.provider_id)
        if provider is None or provider.status != "approved" or not provider.has_payment_agreement:
            raise conflict("no-payment-agreement",
                           "Аванс получает только действующий поставщик с договором об оплате", field="provider_id")
        limit = advance_limit_kop(await planned_shares_kop(session, principal.provider_id, body.month),
                                  settings.advance_percent)
        if limit == 0:
            raise conflict("nothing-to-advance", "В этом месяце нет запланированных оплат по сертификатам",
                           field="month")
        amount = body.amount_kop or limit
        if amount > limit:
            raise invalid("amount_kop", f"Аванс не больше {limit / 100:.2f} ₽ ({settings.advance_percent}% плана)")
        advance = Advance(provider_id=principal.provider_id, month=body.month, amount_kop=amount, limit_kop=limit,
                          requested_by=principal.actor)
        session.add(advance)
        try:
            async with session.begin_nested():
                await session.flush()
        except IntegrityError:
            raise conflict("advance-taken", "Аванс за этот месяц уже получен", field="month") from None
        await session.refresh(advance)
        out = AdvanceOut.model_validate(advance)
        await idem.remember(session, idempotency_keys, request, 201, out.model_dump(mode="json"))
        return out


@router.get("/advances", response_model=list[AdvanceOut])
async def list_advances(request: Request, principal: Annotated[Principal, Depends(current_principal)],
                        month: Annotated[Month | None, Query()] = None):
    require_role(principal, "provider", "operator", "admin")
    query = select(Advance)
    if principal.role == "provider":
        query = query.where(Advance.provider_id == principal.provider_id)
    elif principal.role == "operator":
        query = query.join(ProviderCopy, ProviderCopy.id == Advance.provider_id).where(
            ProviderCopy.municipality == principal.municipality)
    if month:
        query = query.where(Advance.month == month)
    async with request.app.state.runtime.sessions() as session:
        rows = await session.execute(query.order_by(Advance.month, Advance.provider_id))
        return [AdvanceOut.model_validate(a) for a in rows.scalars()]
