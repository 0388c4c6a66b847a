"""«How will this be paid»: for one child and one group, before the family applies. The same
check answers `GET /groups/{id}/cost` and decides whether `POST /applications` is taken: what
it calls impossible is refused at once, for the same reasons (a full group still takes the
application, on the waitlist).

It refuses only on what cannot be behind in the family's favour. The catalog's copy of the
certificate follows the certificates service's events, so a certificate it knows only as issued
may already be active: that one is not refused (a note says it awaits activation), and the
certificates service, the authority, decides when it reserves the money — its refusal rejects
the application with the reason. A copy that says suspended or closed still refuses: a
reinstatement arriving late only delays the family by the seconds the event takes.

A program paid by the certificate is paid by the certificate's municipality (the payer), and
only to a provider holding an active agreement with that payer for the year of the money (the
contract's period year), within the agreement's limit: the check refuses `no_agreement` and
`agreement_limit_reached` from its copies of the registry's agreements and of the certificates
service's usage (held and debited), which reserves against the same rule and decides. An
agreement signed a moment ago delays the family by the seconds its event takes, as an activation does."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from pfdo_events.catalog import FREE_REGISTERS
from pfdo_kit.calendar import age_on
from services.catalog.domain.payment_plan import Pricing, contract_plan, period_year
from services.catalog.domain.registers import CERTIFIED, FAMILY, register_for
from services.catalog.domain.statuses import CERTIFICATE_ACTIVE, CERTIFICATE_PENDING, PROVIDER_APPROVED

if TYPE_CHECKING:
    from services.catalog.models import (
        CertificateCopy,
        Group,
        Module,
        Program,
        Provider,
    )

# How a group would be paid for a child: by the certificate, free (a budget register), by the family,
# or not at all (the reasons say why).
Payment = Literal["certificate", "free", "family", "impossible"]
Reason = Literal["certificate_exhausted", "free_limit_reached", "certificate_inactive",
                 "certificate_awaiting_activation", "age_out_of_range", "no_seats", "enrollment_closed",
                 "provider_inactive", "no_agreement", "agreement_limit_reached"]

REASONS_RU = {
    "certificate_exhausted": "На сертификате не хватает средств на эту программу",
    "free_limit_reached": "Бесплатные места этого реестра на год уже использованы",
    "certificate_inactive": "Сертификат не активен: обратитесь в муниципальный опорный центр",
    "certificate_awaiting_activation": "Сертификат ожидает активации: заявку можно подать, "
                                       "оплату подтвердит сервис сертификатов при её принятии",
    "age_out_of_range": "Возраст ребёнка не подходит для этой программы",
    "no_seats": "Свободных мест нет: заявка встанет в очередь",
    "enrollment_closed": "Набор в группу закрыт",
    "provider_inactive": "Поставщик сейчас не принимает заявки",
    "no_agreement": "У поставщика нет действующего соглашения с муниципалитетом сертификата на этот год: "
                    "оплатить обучение сертификатом нельзя",
    "agreement_limit_reached": "Лимит соглашения поставщика с муниципалитетом сертификата на этот год исчерпан: "
                               "оплатить обучение сертификатом нельзя",
}
BLOCKING = {"certificate_exhausted", "free_limit_reached", "certificate_inactive", "age_out_of_range", "enrollment_closed",
            "provider_inactive", "no_agreement", "agreement_limit_reached"}


@dataclass(frozen=True)
class AgreementFacts:
    """The provider's agreement with the certificate's municipality for the year, as the catalog's copies know it."""

    active: bool
    limit_kop: int | None  # None: no limit
    used_kop: int = 0      # held and debited under it (0 until the certificates service says otherwise)

    @property
    def left_kop(self) -> int | None:
        return None if self.limit_kop is None else self.limit_kop - self.used_kop


@dataclass(frozen=True)
class Facts:
    certificate_active: bool
    child_age: int
    min_age: int
    max_age: int
    free_seats: int
    enrollment_open: bool
    provider_approved: bool
    register: str  # certified | significant | preprofessional | other | family
    certificate_share_kop: int = 0        # what the certificate would pay in the period
    available_kop: int | None = None      # None: the balance is not known yet
    free_left: int | None = None          # places left in this free register, None: not known
    certificate_pending: bool = False     # issued, activation not seen yet: the copy may be behind
    agreement_active: bool = True         # the provider holds an active agreement with the payer for the year
    agreement_left_kop: int | None = None  # what its limit leaves, None: no limit


@dataclass(frozen=True)
class Verdict:
    payment: str  # certificate | free | family | impossible
    reasons: list[str] = field(default_factory=list)
    free_left: int | None = None

    @property
    def reasons_ru(self) -> list[str]:
        return [REASONS_RU[r] for r in self.reasons]

    @property
    def blocking(self) -> list[str]:
        """The reasons that make it impossible, in the order they are named."""
        return [r for r in self.reasons if r in BLOCKING]


def verdict(f: Facts) -> Verdict:
    reasons = []
    if not f.provider_approved:
        reasons.append("provider_inactive")
    if not f.enrollment_open:
        reasons.append("enrollment_closed")
    if not f.min_age <= f.child_age <= f.max_age:
        reasons.append("age_out_of_range")
    if f.certificate_pending:  # the copy may be behind: not refused, the authority decides at reservation
        reasons.append("certificate_awaiting_activation")
    elif not f.certificate_active:  # every enrollment goes through the certificate, a family-paid one too
        reasons.append("certificate_inactive")
    if f.register == CERTIFIED and not f.agreement_active:
        reasons.append("no_agreement")
    elif f.register == CERTIFIED and f.agreement_left_kop is not None and f.agreement_left_kop < f.certificate_share_kop:
        reasons.append("agreement_limit_reached")
    if f.register == CERTIFIED and f.available_kop is not None and f.available_kop < f.certificate_share_kop:
        reasons.append("certificate_exhausted")
    if f.register in FREE_REGISTERS and f.free_left is not None and f.free_left <= 0:
        reasons.append("free_limit_reached")
    if f.free_seats <= 0:
        reasons.append("no_seats")
    if BLOCKING & set(reasons):
        return Verdict("impossible", reasons)
    payment = {CERTIFIED: "certificate", FAMILY: "family"}.get(f.register, "free")
    return Verdict(payment, reasons, f.free_left if payment == "free" else None)


@dataclass(frozen=True)
class Check:
    facts: Facts
    verdict: Verdict
    register: str
    shares: list[tuple[str, int, int]]  # (month, certificate kop, family kop) for every month of the group


def money_year(today: date, group: Group) -> int:
    """The year whose money an acceptance today reserves (the contract's period year): the
    year of the agreement that must cover it."""
    return period_year(today, group.starts_on)


def check(cert: CertificateCopy, program: Program, provider: Provider, module: Module, group: Group, today: date,
          pricing: Pricing, agreement: AgreementFacts | None) -> Check:
    """The facts of one certificate and one group as the catalog knows them today, and the verdict.
    `agreement`: the provider's with the certificate's municipality for `money_year` (None: none known)."""
    register = register_for(program.registers, program.certified_until, today)
    shares = pricing.shares(program, module, group, register)
    # what an acceptance today reserves: the contract's months from its own start
    _, _, plan = contract_plan(today, group.starts_on, group.ends_on, [lesson["weekday"] for lesson in group.schedule],
                               shares)
    facts = Facts(
        certificate_active=cert.status == CERTIFICATE_ACTIVE, certificate_pending=cert.status == CERTIFICATE_PENDING,
        child_age=age_on(cert.birth_date, max(today, group.starts_on)),
        min_age=program.min_age, max_age=program.max_age, free_seats=group.capacity - group.taken,
        enrollment_open=group.enrollment_open and group.ends_on >= today,
        provider_approved=provider.status == PROVIDER_APPROVED, register=register,
        certificate_share_kop=sum(c for _, c, _, _ in plan),
        # An accounting certificate gets its nominal on the first certified enrollment (quota allowing).
        available_kop=None if cert.kind == "accounting" else cert.available_kop,
        free_left=(cert.free_left or {}).get(register) if cert.free_left is not None else None,
        agreement_active=agreement is not None and agreement.active,
        agreement_left_kop=agreement.left_kop if agreement is not None else None)
    return Check(facts, verdict(facts), register, shares)
