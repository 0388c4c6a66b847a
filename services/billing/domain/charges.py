"""The month's charge for one contract, by the district's rule for the delivered ratio.

Rules (district configuration):
- `full_month`: any attendance in the month → the whole certificate share;
- `attended_share`: share × attended lessons / planned lessons (half up to the kopeck);
- and under every rule: no attendance at all → nothing.
The charge never exceeds what the contract still holds in reserve.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pfdo_kit.money import div_half_up, rubles

Rule = Literal["full_month", "attended_share"]


@dataclass(frozen=True)
class MonthFacts:
    certificate_share_kop: int
    planned_lessons: int
    attended_lessons: int  # lessons with the child marked present
    still_reserved_kop: int


def charge_kop(rule: Rule, f: MonthFacts) -> int:
    if f.attended_lessons <= 0 or f.certificate_share_kop <= 0 or f.planned_lessons <= 0:
        return 0
    if rule == "full_month":
        due = f.certificate_share_kop
    else:
        due = div_half_up(f.certificate_share_kop * min(f.attended_lessons, f.planned_lessons), f.planned_lessons)
    return min(due, max(0, f.still_reserved_kop))


def release_kop(f: MonthFacts, charged_kop: int) -> int:
    """The month's share that was not delivered goes back to the certificate at close (never
    more than the contract still holds after the charge)."""
    return max(0, min(f.certificate_share_kop - charged_kop, f.still_reserved_kop - charged_kop))


RULE_WORDS: dict[str, str] = {
    "full_month": "при любом посещении в месяце оплачивается вся доля месяца",
    "attended_share": "оплачивается доля месяца, пропорциональная посещённым занятиям",
}


def explain(rule: str, share_kop: int, planned: int, attended: int, debited_kop: int) -> str:
    """The debit in the family's words: the share, the lessons, the rule and how it gave the amount."""
    lessons = f"посещено {attended} из {planned} занятий по расписанию"
    if rule == "full_month":
        how = f"списана вся доля {rubles(share_kop)}"
        due = share_kop if attended > 0 else 0
    else:
        how = f"{rubles(share_kop)} × {min(attended, planned)}/{planned}"
        due = div_half_up(share_kop * min(attended, planned), planned) if planned > 0 and attended > 0 else 0
        how += f" = {rubles(due)}"
    text = (f"Доля сертификата за месяц — {rubles(share_kop)}; {lessons}. Правило: {RULE_WORDS.get(rule, rule)}; "
            f"{how}.")
    if debited_kop < due:
        text += f" Списано {rubles(debited_kop)}: не больше, чем оставалось в резерве по договору."
    return text
