"""The certificates' side of the enrollment saga: reserve money (or a free place) when a
provider accepts an application, refuse with a reason, release when a contract ends. Each
runs in the consumer's transaction with the inbox row, so the entries and the answer commit
together or not at all.

The certificate's municipality pays: its funding period for the contract's year decides, and
certificate money goes to the provider only under their active agreement for that year, within
its limit. The agreement is checked under its row's lock and its usage moves with the hold, so
concurrent reservations never pass the limit. An agreement the registry has not told of yet
refuses the reservation then and there: the family may apply again."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import ContractTerminated
from pfdo_events.catalog import ApplicationAccepted
from pfdo_events.certificates import FundsReleased, FundsReservationFailed, FundsReserved, ReservationFailure
from pfdo_kit.outbox import Outbox
from services.certificates.domain.agreements import AgreementKey, agreement_refusal
from services.certificates.domain.ledger import LedgerRefused
from services.certificates.domain.periods import credit_cause
from services.certificates.domain.statuses import ACCOUNTING, ACTIVE, FUNDED, OPEN
from services.certificates.flows import agreements
from services.certificates.flows.balance_news import announce_balance
from services.certificates.flows.certificates import grant_provider_access
from services.certificates.flows.ledger import ContractTerms, post_entry
from services.certificates.flows.periods import late_credit
from services.certificates.models import Certificate, Child, FreeEnrollment, FundingPeriod, Reservation
from services.certificates.queries.periods import credited_so_far, funded_now

REASONS_RU: dict[str, str] = {
    "certificate_unknown": "Сертификат не найден",
    "certificate_inactive": "Сертификат не активен: обратитесь в муниципальный опорный центр",
    "no_open_period": "Период финансирования не открыт",
    "quota_exhausted": "Лимит сертификатов финансирования на этот год исчерпан",
    "budget_exhausted": "Бюджет на сертификаты этого года исчерпан",
    "free_limit_reached": "Исчерпано число бесплатных программ этого реестра на год",
    "insufficient_funds": "На сертификате недостаточно средств",
    "no_agreement": ("У организации нет действующего соглашения с муниципалитетом сертификата на этот год: "
                     "оплатить обучение сертификатом нельзя"),
    "agreement_limit_reached": ("Исчерпан лимит соглашения организации с муниципалитетом сертификата на этот год: "
                                "оплатить обучение сертификатом нельзя"),
}


async def _refuse(session: AsyncSession, outbox: Outbox, e: ApplicationAccepted, reason: ReservationFailure) -> None:
    await outbox.add(session, FundsReservationFailed(application_id=e.application_id, certificate_id=e.certificate_id,
                                                     reason=reason, reason_ru=REASONS_RU[reason], owner=e.owner))


async def _reserved(session: AsyncSession, outbox: Outbox, e: ApplicationAccepted, cert: Certificate,
                    amount_kop: int) -> None:
    """The answer names the certificate and the child: the contract's offer prints them."""
    child = await session.get(Child, cert.child_id)
    await outbox.add(session, FundsReserved(application_id=e.application_id, certificate_id=cert.id,
                                            amount_kop=amount_kop, certificate_kind=cert.kind, owner=e.owner,
                                            certificate_number=cert.number,
                                            child_full_name=child.full_name if child else None,
                                            child_birth_date=child.birth_date if child else None))


async def reserve_for_application(session: AsyncSession, outbox: Outbox, e: ApplicationAccepted, today: date) -> None:
    """Answer an accepted application with `funds.reserved` or `funds.reservation_failed`."""
    s = session
    await grant_provider_access(s, e.provider_id, e.certificate_id)
    cert = await s.get(Certificate, e.certificate_id, with_for_update=True)
    if cert is None or cert.child_id != e.child_id:
        return await _refuse(s, outbox, e, "certificate_unknown")
    if cert.status != ACTIVE:
        return await _refuse(s, outbox, e, "certificate_inactive")
    period = await s.get(FundingPeriod, (cert.municipality, e.period_year))
    if period is None or period.status != OPEN:
        return await _refuse(s, outbox, e, "no_open_period")

    if e.program_register == "family":
        return await _reserved(s, outbox, e, cert, 0)
    if e.program_register != "certified":
        return await _take_free_place(s, outbox, e, cert, period)

    # The certificate's municipality pays (the accepted event's `payer` is the catalog's copy of it).
    key = AgreementKey(provider_id=e.provider_id, payer=cert.municipality, year=e.period_year)
    total = e.certificate_total_kop
    refusal = agreement_refusal(await agreements.locked_terms(s, key), total)  # locked until the commit
    if refusal is not None:
        return await _refuse(s, outbox, e, refusal)
    if cert.kind == ACCOUNTING:
        refusal = await _fund(s, cert, e.period_year, today)
        if refusal is not None:
            return await _refuse(s, outbox, e, refusal)
    if total > 0:
        try:
            posted = await post_entry(s, cert.id, "reserve", total, f"application:{e.application_id}",
                                      e.application_id, terms=ContractTerms(e.period_year, key.provider_id, key.payer))
        except LedgerRefused:
            return await _refuse(s, outbox, e, "insufficient_funds")
        if not posted.duplicate:
            await agreements.use(s, outbox, key, total)
    await announce_balance(s, outbox, cert.id, e.period_year)
    await _reserved(s, outbox, e, cert, total)


async def _take_free_place(s: AsyncSession, outbox: Outbox, e: ApplicationAccepted, cert: Certificate,
                           period: FundingPeriod) -> None:
    """A free budget program: one of the period's places of its register, no money, no agreement."""
    used = (await s.execute(select(func.count()).select_from(FreeEnrollment).where(
        FreeEnrollment.certificate_id == cert.id, FreeEnrollment.period_year == e.period_year,
        FreeEnrollment.program_register == e.program_register))).scalar_one()
    if used >= int(period.free_limits.get(e.program_register, 0)):
        return await _refuse(s, outbox, e, "free_limit_reached")
    s.add(FreeEnrollment(application_id=e.application_id, certificate_id=cert.id, period_year=e.period_year,
                         program_register=e.program_register))
    await s.flush()
    await announce_balance(s, outbox, cert.id, e.period_year)
    await _reserved(s, outbox, e, cert, 0)


async def _fund(s: AsyncSession, cert: Certificate, year: int, today: date) -> ReservationFailure | None:
    """The first enrollment in a certified program funds the certificate: within the period's
    quota and budget, credited the nominal for the months left. None: funded."""
    # Only a funding switch takes the period's lock: it serialises the municipality's quota and budget.
    period = await s.get(FundingPeriod, (cert.municipality, year), with_for_update=True, populate_existing=True)
    if period.status != OPEN:
        return "no_open_period"
    if await funded_now(s, cert.municipality) >= period.funded_quota:
        return "quota_exhausted"
    child = await s.get(Child, cert.child_id)
    amount = late_credit(period, child.birth_date, child.ovz, today)
    if amount and await credited_so_far(s, cert.municipality, period.year) + amount > period.budget_cap_kop:
        return "budget_exhausted"
    cert.kind = FUNDED
    await s.flush()
    if amount:
        await post_entry(s, cert.id, "credit", amount, credit_cause(period.year))
    return None


async def release_on_termination(session: AsyncSession, outbox: Outbox, e: ContractTerminated,
                                 message_id: uuid.UUID) -> int:
    """Release what the contract holds beyond what billing keeps for months not charged yet; its
    agreement's usage goes down by as much. Returns the kopecks released."""
    s = session
    await s.execute(delete(FreeEnrollment).where(FreeEnrollment.application_id == e.contract_id))
    reservation = await s.get(Reservation, e.contract_id, with_for_update=True)
    released = 0
    if reservation is not None and reservation.held_kop > e.keep_kop:
        released = reservation.held_kop - e.keep_kop
        # A second termination (a withdrawal that overtook its reservation) may free more later.
        cause = f"termination:{e.contract_id}:{message_id}"
        await post_entry(s, reservation.certificate_id, "release", released, cause, e.contract_id)
        if (key := agreement_of(reservation)) is not None:
            await agreements.give_back(s, outbox, {key: released})
    await s.flush()
    await announce_balance(s, outbox, e.certificate_id, e.terminated_on.year)
    await outbox.add(s, FundsReleased(contract_id=e.contract_id, certificate_id=e.certificate_id, amount_kop=released))
    return released


def agreement_of(reservation: Reservation) -> AgreementKey | None:
    """The agreement a reservation counts against (None: made before agreements)."""
    if reservation.provider_id is None or reservation.payer is None or reservation.period_year is None:
        return None
    return AgreementKey(reservation.provider_id, reservation.payer, reservation.period_year)
