"""Advances: from the month's 2nd working day a provider takes up to the district's share of
the month's planned certificate payments, once; the month's invoice subtracts it. The grant is
announced (`billing.advance.granted`) in the same transaction."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import AdvanceGranted
from pfdo_kit.calendar import WorkingCalendar, first_day
from pfdo_kit.errors import conflict, invalid
from pfdo_kit.outbox import Outbox
from services.billing.domain.advances import advance_limit_kop, advance_open
from services.billing.models import Advance, Contract, ContractMonth, ProviderCopy


async def planned_shares_kop(session: AsyncSession, provider_id: uuid.UUID, month: str) -> int:
    """The month's certificate shares of the provider's signed contracts still running in it."""
    return int(await session.scalar(
        select(func.coalesce(func.sum(ContractMonth.certificate_kop), 0))
        .join(Contract, Contract.id == ContractMonth.contract_id)
        .where(Contract.provider_id == provider_id, ContractMonth.month == month, Contract.signed_on.is_not(None),
               or_(Contract.terminated_on.is_(None), Contract.terminated_on >= first_day(month)))))


async def take(session: AsyncSession, outbox: Outbox, provider_id: uuid.UUID, month: str, amount_kop: int | None,
               actor: str, *, percent: int, today: date, calendar: WorkingCalendar) -> Advance:
    """The provider's advance for the month: the whole limit unless a smaller amount is asked."""
    if not advance_open(today, month, calendar):
        raise conflict("advance-closed", "Аванс за месяц можно запросить в этом месяце, начиная со 2-го рабочего дня",
                       field="month")
    provider = await session.get(ProviderCopy, provider_id)
    if provider is None or provider.status != "approved" or not provider.has_payment_agreement:
        raise conflict("no-payment-agreement",
                       "Аванс получает только действующий поставщик с договором об оплате", field="provider_id")
    limit = advance_limit_kop(await planned_shares_kop(session, provider_id, month), percent)
    if limit == 0:
        raise conflict("nothing-to-advance", "В этом месяце нет запланированных оплат по сертификатам", field="month")
    amount = amount_kop or limit
    if amount > limit:
        raise invalid("amount_kop", f"Аванс не больше {limit / 100:.2f} ₽ ({percent}% плана)")
    advance = Advance(provider_id=provider_id, month=month, amount_kop=amount, limit_kop=limit, requested_by=actor)
    session.add(advance)
    try:
        async with session.begin_nested():
            await session.flush()
    except IntegrityError:
        raise conflict("advance-taken", "Аванс за этот месяц уже получен", field="month") from None
    await session.refresh(advance)
    await outbox.add(session, AdvanceGranted(advance_id=advance.id, provider_id=provider_id, month=month,
                                             amount_kop=amount, limit_kop=limit))
    return advance
