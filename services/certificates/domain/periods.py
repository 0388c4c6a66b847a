"""A funding period's rules: the nominal a child gets, pro-rated for a late start."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pfdo_kit.calendar import age_on
from pfdo_kit.money import prorate


@dataclass(frozen=True)
class Nominal:
    min_age: int
    max_age: int
    category: str  # "general" or "ovz"
    amount_kop: int


def nominal_for(nominals: list[Nominal], birth: date, ovz: bool, on: date) -> int | None:
    """The nominal of the child's age group and category on a day; ОВЗ falls back to general."""
    age = age_on(birth, on)
    wanted = ["ovz", "general"] if ovz else ["general"]
    for category in wanted:
        for n in nominals:
            if n.category == category and n.min_age <= age <= n.max_age:
                return n.amount_kop
    return None


def months_left(starts_on: date, ends_on: date, joined_on: date) -> tuple[int, int]:
    """(months from the joining month to the period's end, months in the period)."""
    total = (ends_on.year - starts_on.year) * 12 + ends_on.month - starts_on.month + 1
    start = max(joined_on, starts_on)
    left = (ends_on.year - start.year) * 12 + ends_on.month - start.month + 1
    return max(0, min(left, total)), total


def credit_for(nominals: list[Nominal], birth: date, ovz: bool, starts_on: date, ends_on: date,
               joined_on: date) -> int:
    """What a certificate is credited when it is funded on `joined_on` (0 if no nominal applies)."""
    amount = nominal_for(nominals, birth, ovz, max(joined_on, starts_on))
    if amount is None:
        return 0
    left, total = months_left(starts_on, ends_on, joined_on)
    return prorate(amount, left, total)
