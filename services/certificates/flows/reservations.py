"""The certificates' side of the enrollment saga: reserve money (or a free place) when a
provider accepts an application, refuse with a reason, release when a contract ends. Each
runs in the consumer's transaction with the inbox row, so the entries and the answer commit
together or not at all.

The certificate's municipality pays: its funding period for the contract's year decides, and
certificate money goes to the provider only under their active agreement for that year, within
its limit. The agreement is checked under its row's lock and its usage moves with the hold, so
concurrent reservations never pass the limit. An agreement the registry has not told of yet
refuses the reservation then and there: the family may apply again.

Core statements, no ORM unit of work: an acceptance is part of every application of an enrollment
rush. It locks its certificate in one read joined to its child and period (granting the provider
access in the same statement); a funded certificate with the money is then held for in one
statement (flows/holds.py) and answered in one outbox insert, without reading anything back. Every
other case takes the checked path, each check a statement of its own."""
from __future__ import annotations

import uuid
from datetime import date
from types import SimpleNamespace

from sqlalchemy import Integer, Select, and_, bindparam, delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import ContractTerminated
from pfdo_events.catalog import ApplicationAccepted
from pfdo_events.certificates import (
    AgreementUsageChanged,
    BalanceChanged,
    FundsReleased,
    FundsReservationFailed,
    FundsReserved,
    ReservationFailure,
)
from pfdo_kit.outbox import Outbox
from pfdo_kit.precompiled import Precompiled
from services.certificates.domain.agreements import AgreementKey, agreement_refusal
from services.certificates.domain.ledger import LedgerRefused
from services.certificates.domain.periods import credit_cause
from services.certificates.domain.statuses import ACCOUNTING, ACTIVE, FUNDED, OPEN
from services.certificates.flows import agreements
from services.certificates.flows.balance_news import announce_balance, balance_news, free_left
from services.certificates.flows.certificates import provider_access
from services.certificates.flows.holds import application_cause, free_places_used, hold
from services.certificates.flows.ledger import AVAILABLE, ContractTerms, post_entry
from services.certificates.flows.periods import late_credit
from services.certificates.models import Certificate, Child, FreeEnrollment, FundingPeriod, Reservation
from services.certificates.queries.periods import credited_so_far, funded_now

C, R = Certificate, Reservation

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


def _reserved(e: ApplicationAccepted, cert: SimpleNamespace, amount_kop: int, balance: BalanceChanged | None = None,
              usage: AgreementUsageChanged | None = None) -> FundsReserved:
    """The answer names the certificate and the child: the contract's offer prints them. It carries
    the certificate's balance and the agreement's usage after the hold too, which the catalog copies:
    one message where three went before."""
    return FundsReserved(application_id=e.application_id, certificate_id=cert.id, amount_kop=amount_kop,
                         certificate_kind=cert.kind, owner=e.owner, certificate_number=cert.number,
                         child_full_name=cert.full_name, child_birth_date=cert.birth_date, balance=balance,
                         agreement_usage=usage)


def _balance(cert: SimpleNamespace, period_year: int, available_kop: int, free_used: dict[str, int]) -> BalanceChanged:
    """The certificate's news as balance_news would read it, from what the flow knows already."""
    return BalanceChanged(certificate_id=cert.id, status=cert.status, kind=cert.kind, available_kop=available_kop,
                          period_year=period_year, free_left=free_left(cert.free_limits, free_used))


def _locking_certificate() -> Select:
    """The certificate `:the_certificate` locked, with what the reservation reads beside it, granting
    `:the_provider` access in the same statement; the period is the one of `:the_year`."""
    cert_id = bindparam("the_certificate", type_=C.id.type)
    granted = provider_access(bindparam("the_provider", type_=C.id.type), cert_id).cte("granted")
    return (select(C.id, C.child_id, C.number, C.status, C.kind, C.municipality, AVAILABLE.label("available_kop"),
                   Child.full_name, Child.birth_date, Child.ovz, FundingPeriod.status.label("period_status"),
                   FundingPeriod.free_limits)
            .select_from(C).outerjoin(Child, Child.id == C.child_id)
            .outerjoin(FundingPeriod, and_(FundingPeriod.municipality == C.municipality,
                                           FundingPeriod.year == bindparam("the_year", type_=Integer)))
            .where(C.id == cert_id).with_for_update(of=C).add_cte(granted))


_LOCKING_CERTIFICATE = Precompiled(_locking_certificate())  # compiled once: every acceptance starts with it


async def _locked_certificate(s: AsyncSession, e: ApplicationAccepted) -> SimpleNamespace | None:
    """The provider may read the certificate from now on (granted in the same statement); the
    certificate locked until the commit, with its balance, its child and its municipality's period
    of the contract's year (period_status None: no period)."""
    row = await _LOCKING_CERTIFICATE.first(s, the_certificate=e.certificate_id, the_provider=e.provider_id,
                                           the_year=e.period_year)
    return None if row is None else SimpleNamespace(**row._asdict())


async def reserve_for_application(session: AsyncSession, outbox: Outbox, e: ApplicationAccepted, today: date) -> None:
    """Answer an accepted application with `funds.reserved` or `funds.reservation_failed`."""
    s = session
    cert = await _locked_certificate(s, e)
    if cert is None or cert.child_id != e.child_id:
        return await _refuse(s, outbox, e, "certificate_unknown")
    if cert.status != ACTIVE:
        return await _refuse(s, outbox, e, "certificate_inactive")
    if cert.period_status != OPEN:
        return await _refuse(s, outbox, e, "no_open_period")

    if e.program_register == "family":
        await outbox.add(s, _reserved(e, cert, 0))
        return
    if e.program_register != "certified":
        return await _take_free_place(s, outbox, e, cert)

    # The certificate's municipality pays (the accepted event's `payer` is the catalog's copy of it).
    key = AgreementKey(provider_id=e.provider_id, payer=cert.municipality, year=e.period_year)
    total = e.certificate_total_kop
    if cert.kind == FUNDED and await _hold(s, outbox, e, cert, key, total):  # the rush's case
        return
    await _reserve_checked(s, outbox, e, cert, key, total, today)


async def _hold(s: AsyncSession, outbox: Outbox, e: ApplicationAccepted, cert: SimpleNamespace, key: AgreementKey,
                total: int) -> bool:
    """Hold the money of a funded certificate that has it, and answer, in one statement and one
    outbox insert. False: nothing moved or staged (no money to hold, not enough of it, the
    agreement refused, or the cause was posted before)."""
    if not 0 < total <= cert.available_kop:
        return False
    held = await hold(s, cert.id, key, total, e.application_id)
    if held is None:
        return False
    await outbox.add(s, _reserved(e, cert, total, _balance(cert, e.period_year, held.available_kop, held.free_used),
                                  agreements.usage_news(key, held.used_kop, held.limit_kop)))
    return True


async def _reserve_checked(s: AsyncSession, outbox: Outbox, e: ApplicationAccepted, cert: SimpleNamespace,
                           key: AgreementKey, total: int, today: date) -> None:
    """Every other case, check by check, each refusal with its reason: the agreement first, then
    the funding of an accounting certificate, then the money (a cause posted before holds nothing
    more and is answered again)."""
    refusal = agreement_refusal(await agreements.locked_terms(s, key), total)  # locked until the commit
    if refusal is not None:
        return await _refuse(s, outbox, e, refusal)
    if cert.kind == ACCOUNTING:
        refusal = await _fund(s, cert, e.period_year, today)
        if refusal is not None:
            return await _refuse(s, outbox, e, refusal)
        if await _hold(s, outbox, e, cert, key, total):  # funded just now, as most are at their first enrollment
            return
    usage = None
    if total > 0:
        try:
            posted = await post_entry(s, cert.id, "reserve", total, application_cause(e.application_id),
                                      e.application_id, terms=ContractTerms(e.period_year, key.provider_id, key.payer))
        except LedgerRefused:
            return await _refuse(s, outbox, e, "insufficient_funds")
        if not posted.duplicate:
            usage = await agreements.use(s, key, total)
    [balance] = await balance_news(s, [cert.id], e.period_year)
    await outbox.add(s, _reserved(e, cert, total, balance, usage))


async def _take_free_place(s: AsyncSession, outbox: Outbox, e: ApplicationAccepted, cert: SimpleNamespace) -> None:
    """A free budget program: one of the period's places of its register, no money, no agreement.
    Counted under the certificate's lock, which every taker of its places holds."""
    used = (await s.scalar(free_places_used(cert.id, e.period_year))) or {}
    if used.get(e.program_register, 0) >= int(cert.free_limits.get(e.program_register, 0)):
        return await _refuse(s, outbox, e, "free_limit_reached")
    await s.execute(insert(FreeEnrollment).values(application_id=e.application_id, certificate_id=cert.id,
                                                  period_year=e.period_year, program_register=e.program_register))
    used[e.program_register] = used.get(e.program_register, 0) + 1
    await outbox.add(s, _reserved(e, cert, 0, _balance(cert, e.period_year, cert.available_kop, used)))


async def _fund(s: AsyncSession, cert: SimpleNamespace, year: int, today: date) -> ReservationFailure | None:
    """The first enrollment in a certified program funds the certificate: within the period's
    quota and budget, credited the nominal for the months left. None: funded (`cert` says so)."""
    # Only a funding switch takes the period's lock: it serialises the municipality's quota and budget.
    P = FundingPeriod
    period = (await s.execute(
        select(P.year, P.status, P.funded_quota, P.budget_cap_kop, P.nominals, P.starts_on, P.ends_on)
        .where(P.municipality == cert.municipality, P.year == year).with_for_update())).one()
    if period.status != OPEN:
        return "no_open_period"
    if await funded_now(s, cert.municipality) >= period.funded_quota:
        return "quota_exhausted"
    amount = late_credit(period, cert.birth_date, cert.ovz, today)
    if amount and await credited_so_far(s, cert.municipality, period.year) + amount > period.budget_cap_kop:
        return "budget_exhausted"
    await s.execute(update(C).where(C.id == cert.id).values(kind=FUNDED))
    cert.kind = FUNDED
    if amount:
        await post_entry(s, cert.id, "credit", amount, credit_cause(period.year))
        cert.available_kop += amount  # the row is locked: nobody else moved it
    return None


async def release_on_termination(session: AsyncSession, outbox: Outbox, e: ContractTerminated,
                                 message_id: uuid.UUID) -> int:
    """Release what the contract holds beyond what billing keeps for months not charged yet; its
    agreement's usage goes down by as much. Returns the kopecks released."""
    s = session
    await s.execute(delete(FreeEnrollment).where(FreeEnrollment.application_id == e.contract_id))
    reservation = (await s.execute(
        select(R.certificate_id, R.held_kop, R.provider_id, R.payer, R.period_year)
        .where(R.contract_id == e.contract_id).with_for_update())).first()
    released = 0
    if reservation is not None and reservation.held_kop > e.keep_kop:
        released = reservation.held_kop - e.keep_kop
        # A second termination (a withdrawal that overtook its reservation) may free more later.
        cause = f"termination:{e.contract_id}:{message_id}"
        await post_entry(s, reservation.certificate_id, "release", released, cause, e.contract_id)
        if (key := agreement_of(reservation)) is not None:
            await agreements.give_back(s, outbox, {key: released})
    await announce_balance(s, outbox, e.certificate_id, e.terminated_on.year)
    await outbox.add(s, FundsReleased(contract_id=e.contract_id, certificate_id=e.certificate_id, amount_kop=released))
    return released


def agreement_of(reservation) -> AgreementKey | None:
    """The agreement a reservation counts against (None: made before agreements)."""
    if reservation.provider_id is None or reservation.payer is None or reservation.period_year is None:
        return None
    return AgreementKey(reservation.provider_id, reservation.payer, reservation.period_year)
