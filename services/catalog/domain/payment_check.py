"""«How will this be paid»: for one child and one group, before the family applies."""
from __future__ import annotations

from dataclasses import dataclass, field

from pfdo_events.catalog import FREE_REGISTERS
from services.catalog.domain.registers import CERTIFIED, FAMILY

REASONS_RU = {
    "certificate_exhausted": "На сертификате не хватает средств на эту программу",
    "free_limit_reached": "Бесплатные места этого реестра на год уже использованы",
    "certificate_inactive": "Сертификат не активен: обратитесь в муниципальный опорный центр",
    "age_out_of_range": "Возраст ребёнка не подходит для этой программы",
    "no_seats": "Свободных мест нет: заявка встанет в очередь",
    "enrollment_closed": "Набор в группу закрыт",
    "provider_inactive": "Поставщик сейчас не принимает заявки",
}
BLOCKING = {"certificate_exhausted", "free_limit_reached", "certificate_inactive", "age_out_of_range", "enrollment_closed", "provider_inactive"}


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


@dataclass(frozen=True)
class Verdict:
    payment: str  # certificate | free | family | impossible
    reasons: list[str] = field(default_factory=list)
    free_left: int | None = None

    @property
    def reasons_ru(self) -> list[str]:
        return [REASONS_RU[r] for r in self.reasons]


def verdict(f: Facts) -> Verdict:
    reasons = []
    if not f.provider_approved:
        reasons.append("provider_inactive")
    if not f.enrollment_open:
        reasons.append("enrollment_closed")
    if not f.min_age <= f.child_age <= f.max_age:
        reasons.append("age_out_of_range")
    if not f.certificate_active and f.register != FAMILY:
        reasons.append("certificate_inactive")
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
