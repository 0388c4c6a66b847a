"""Advances: from the month's 2nd working day a provider takes up to the region's percentage of
the month's planned certificate payments of the payers it has an active agreement with for the
contracts' year, once; the advance is split into parts per payer (in proportion to each payer's
own limit) and each payer's invoice for the month subtracts its part. The grant is announced
(`billing.advance.granted`) in the same transaction."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import exists, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import AdvanceGranted
from pfdo_kit.calendar import WorkingCalendar, first_day
from pfdo_kit.errors import conflict, invalid
from pfdo_kit.outbox import Outbox
from services.billing.domain.advances import advance_open, payer_limits_kop, split_advance
from services.billing.models import Advance, AdvancePart, AgreementCopy, Contract, ContractMonth, ProviderCopy


async def planned_shares_kop(session: AsyncSession, provider_id: uuid.UUID, month: str) -> tuple[dict[str, int], int]:
    """The month's certificate shares of the provider's signed contracts still running in it: per
    payer those an active agreement of the provider with that payer for the contract's year covers,
    and the sum of the rest (each year of a payer's contracts has its own agreement)."""
    covered = exists().where(AgreementCopy.provider_id == Contract.provider_id,
                             AgreementCopy.municipality == Contract.payer,
                             AgreementCopy.year == Contract.period_year, AgreementCopy.active)
    rows = (await session.execute(
        select(Contract.payer, covered, func.sum(ContractMonth.certificate_kop))
        .join(Contract, Contract.id == ContractMonth.contract_id)
        .where(Contract.provider_id == provider_id, ContractMonth.month == month, Contract.signed_on.is_not(None),
               or_(Contract.terminated_on.is_(None), Contract.terminated_on >= first_day(month)))
        .group_by(Contract.payer, covered))).all()
    by_payer = {payer: int(kop) for payer, is_covered, kop in rows if is_covered}
    return by_payer, sum(int(kop) for _, is_covered, kop in rows if not is_covered)


async def take(session: AsyncSession, outbox: Outbox, provider_id: uuid.UUID, month: str, amount_kop: int | None,
               actor: str, *, percent: int, today: date, calendar: WorkingCalendar) -> Advance:
    """The provider's advance for the month: the whole limit unless a smaller amount is asked."""
    if not advance_open(today, month, calendar):
        raise conflict("advance-closed", "Аванс за месяц можно запросить в этом месяце, начиная со 2-го рабочего дня",
                       field="month")
    provider = await session.get(ProviderCopy, provider_id)
    if provider is None or provider.status != "approved":
        raise conflict("no-payment-agreement",
                       "Аванс получает только действующий организатор с соглашением с плательщиком",
                       field="provider_id")
    covered, uncovered_kop = await planned_shares_kop(session, provider_id, month)
    if not any(covered.values()) and uncovered_kop > 0:
        raise conflict("no-payment-agreement",
                       "Ни с одним плательщиком по договорам этого месяца нет действующего соглашения на год",
                       field="provider_id")
    limits = payer_limits_kop(covered, percent)
    limit = sum(limits.values())
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
    parts = split_advance(amount, limits)
    session.add_all([AdvancePart(advance_id=advance.id, payer=payer, amount_kop=parts[payer], limit_kop=limits[payer])
                     for payer in limits])
    await session.flush()
    await outbox.add(session, AdvanceGranted(advance_id=advance.id, provider_id=provider_id, month=month,
                                             amount_kop=amount, limit_kop=limit))
    return advance
