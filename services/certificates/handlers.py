"""What the certificates service does with other services' events. Each handler runs in
the consumer's transaction, with the inbox row: its ledger entries and its result event
commit together or not at all."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert

from pfdo_events.billing import ChargesPosted, ContractTerminated
from pfdo_events.catalog import ApplicationAccepted, ApplicationSubmitted
from pfdo_events.certificates import (
    BalancesChanged,
    FundsDebited,
    FundsReleased,
    FundsReservationFailed,
    FundsReserved,
    ReservationFailure,
)
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.certificates.balance_news import announce_balance, balance_news
from services.certificates.batch_debits import debit_batch
from services.certificates.domain.ledger import LedgerRefused
from services.certificates.ledger_store import post
from services.certificates.models import (
    Certificate,
    Child,
    FreeEnrollment,
    FundingPeriod,
    ProviderAccess,
    Reservation,
)
from services.certificates.period_runs import credit_cause, credited_so_far, late_credit

REASONS_RU: dict[str, str] = {
    "certificate_unknown": "Сертификат не найден",
    "certificate_inactive": "Сертификат не активен: обратитесь в муниципальный опорный центр",
    "no_open_period": "Период финансирования не открыт",
    "quota_exhausted": "Лимит сертификатов финансирования на этот год исчерпан",
    "budget_exhausted": "Бюджет на сертификаты этого года исчерпан",
    "free_limit_reached": "Исчерпано число бесплатных программ этого реестра на год",
    "insufficient_funds": "На сертификате недостаточно средств",
}


async def _refuse(ctx: HandlerContext, e: ApplicationAccepted, reason: ReservationFailure) -> None:
    await ctx.emit(FundsReservationFailed(application_id=e.application_id, certificate_id=e.certificate_id,
                                          reason=reason, reason_ru=REASONS_RU[reason]))


async def _grant_provider(ctx: HandlerContext, e: ApplicationSubmitted | ApplicationAccepted) -> None:
    await ctx.session.execute(insert(ProviderAccess).values(provider_id=e.provider_id, certificate_id=e.certificate_id)
                              .on_conflict_do_nothing())


async def on_application_submitted(ctx: HandlerContext, e: ApplicationSubmitted) -> None:
    await _grant_provider(ctx, e)


async def on_application_accepted(ctx: HandlerContext, e: ApplicationAccepted) -> None:
    s = ctx.session
    await _grant_provider(ctx, e)
    cert = await s.get(Certificate, e.certificate_id, with_for_update=True)
    if cert is None or cert.child_id != e.child_id:
        return await _refuse(ctx, e, "certificate_unknown")
    if cert.status != "active":
        return await _refuse(ctx, e, "certificate_inactive")
    period = await s.get(FundingPeriod, e.period_year)
    if period is None or period.status != "open":
        return await _refuse(ctx, e, "no_open_period")

    if e.program_register == "family":
        return await ctx.emit(FundsReserved(application_id=e.application_id, certificate_id=cert.id, amount_kop=0,
                                            certificate_kind=cert.kind))
    if e.program_register != "certified":
        used = (await s.execute(select(func.count()).select_from(FreeEnrollment).where(
            FreeEnrollment.certificate_id == cert.id, FreeEnrollment.period_year == e.period_year,
            FreeEnrollment.program_register == e.program_register))).scalar_one()
        if used >= int(period.free_limits.get(e.program_register, 0)):
            return await _refuse(ctx, e, "free_limit_reached")
        s.add(FreeEnrollment(application_id=e.application_id, certificate_id=cert.id, period_year=e.period_year,
                             program_register=e.program_register))
        await s.flush()
        await announce_balance(s, ctx.outbox, cert.id, e.period_year)
        return await ctx.emit(FundsReserved(application_id=e.application_id, certificate_id=cert.id, amount_kop=0,
                                            certificate_kind=cert.kind))

    if cert.kind == "accounting":
        # Only a funding switch takes the period's lock: it serialises the quota and the budget.
        period = await s.get(FundingPeriod, e.period_year, with_for_update=True, populate_existing=True)
        if period.status != "open":
            return await _refuse(ctx, e, "no_open_period")
        funded = (await s.execute(select(func.count()).select_from(Certificate).where(
            Certificate.kind == "funded", Certificate.status == "active"))).scalar_one()
        if funded >= period.funded_quota:
            return await _refuse(ctx, e, "quota_exhausted")
        child = await s.get(Child, cert.child_id)
        amount = late_credit(period, child.birth_date, child.ovz, date.today())
        if amount and await credited_so_far(s, period.year) + amount > period.budget_cap_kop:
            return await _refuse(ctx, e, "budget_exhausted")
        cert.kind = "funded"  # the first enrollment in a certified program funds it
        await s.flush()
        if amount:
            await post(s, cert.id, "credit", amount, credit_cause(period.year))

    total = e.certificate_total_kop
    if total > 0:
        try:
            await post(s, cert.id, "reserve", total, f"application:{e.application_id}", e.application_id)
        except LedgerRefused:
            return await _refuse(ctx, e, "insufficient_funds")
    await announce_balance(s, ctx.outbox, cert.id, e.period_year)
    await ctx.emit(FundsReserved(application_id=e.application_id, certificate_id=cert.id, amount_kop=total,
                                 certificate_kind=cert.kind))


async def on_contract_terminated(ctx: HandlerContext, e: ContractTerminated) -> None:
    """Release what the contract holds beyond what billing keeps for months not charged yet."""
    s = ctx.session
    await s.execute(delete(FreeEnrollment).where(FreeEnrollment.application_id == e.contract_id))
    reservation = await s.get(Reservation, e.contract_id, with_for_update=True)
    released = 0
    if reservation is not None and reservation.held_kop > e.keep_kop:
        released = reservation.held_kop - e.keep_kop
        # A second termination (a withdrawal that overtook its reservation) may free more later.
        cause = f"termination:{e.contract_id}:{ctx.envelope.id}"
        await post(s, reservation.certificate_id, "release", released, cause, e.contract_id)
    await s.flush()
    await announce_balance(s, ctx.outbox, e.certificate_id, e.terminated_on.year)
    await ctx.emit(FundsReleased(contract_id=e.contract_id, certificate_id=e.certificate_id, amount_kop=released))


async def on_charges_posted(ctx: HandlerContext, e: ChargesPosted) -> None:
    """Each charge debits its contract's reservation, never beyond what it still holds, then
    frees the month's undelivered part (a contract's final charge: all it still holds)."""
    outcome = await debit_batch(ctx.session, e.charges, e.month)
    # The answer first: billing waits for it, the catalog's balance news can follow.
    await ctx.emit(FundsDebited(batch_id=e.batch_id, month=e.month, results=outcome.results))
    if news := await balance_news(ctx.session, outcome.released_certificates, int(e.month[:4])):
        await ctx.emit(BalancesChanged(balances=news))


CONSUMERS = [
    ConsumerSpec("certificates", "enrollment",
                 {ApplicationSubmitted: on_application_submitted, ApplicationAccepted: on_application_accepted,
                  ContractTerminated: on_contract_terminated}),
    ConsumerSpec("certificates", "charges", {ChargesPosted: on_charges_posted}),
]
