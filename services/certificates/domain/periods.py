"""A funding period's rules: the nominal a child gets, pro-rated for a late start, and what an
accounting certificate can expect from its first certified enrollment."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from pfdo_kit.calendar import age_on
from pfdo_kit.money import prorate, rubles


def credit_cause(year: int) -> str:
    """The cause of a period's credit in the ledger (`period:2026:credit`): one per certificate and period."""
    return f"period:{year}:credit"


def expire_cause(year: int) -> str:
    return f"period:{year}:expire"


NominalCategory = Literal["general", "ovz"]  # ОВЗ falls back to general (nominal_for)


@dataclass(frozen=True)
class Nominal:
    min_age: int
    max_age: int
    category: NominalCategory
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


FundingReason = Literal["on_first_enrollment", "no_open_period", "quota_exhausted", "budget_exhausted",
                        "nothing_to_credit"]


@dataclass(frozen=True)
class FundingTerms:
    """What decides an accounting certificate's funding in a period, as it stands now."""

    year: int
    open: bool
    starts_on: date
    ends_on: date
    nominals: list[Nominal]
    funded_quota: int
    funded: int             # certificates of financing (active) in the municipality now
    budget_cap_kop: int
    credited_kop: int       # credited so far in the period


@dataclass(frozen=True)
class FundingOutlook:
    expected_kop: int       # what the first certified enrollment today would credit (0: nothing)
    reason: FundingReason
    note: str               # the same in Russian, for the family


def funding_outlook(terms: FundingTerms | None, year: int, birth: date, ovz: bool, today: date) -> FundingOutlook:
    """An active accounting certificate holds no money: its first enrollment in a certified
    program makes it a certificate of financing, credited the nominal for the months left
    (`credit_for`), while the period is open and its quota and budget allow. What that would be
    today, or why nothing."""
    if terms is None or not terms.open:
        return FundingOutlook(0, "no_open_period", f"Период финансирования на {year} год не открыт: сертификат "
                                                    "получит средства при первой записи на сертифицированную "
                                                    "программу после его открытия")
    if terms.funded >= terms.funded_quota:
        return FundingOutlook(0, "quota_exhausted", f"Лимит сертификатов финансирования на {year} год исчерпан: "
                                                     "записаться с этим сертификатом на сертифицированную программу "
                                                     "нельзя, на бесплатные программы — можно")
    amount = credit_for(terms.nominals, birth, ovz, terms.starts_on, terms.ends_on, today)
    if amount == 0:
        why = (f"период финансирования {year} года закончился" if today > terms.ends_on else
               f"номинал для возраста и категории ребёнка на {year} год не установлен")
        return FundingOutlook(0, "nothing_to_credit", f"Сертификат не получит средств: {why}")
    if terms.credited_kop + amount > terms.budget_cap_kop:
        return FundingOutlook(0, "budget_exhausted", f"Бюджет на сертификаты {year} года исчерпан: записаться "
                                                      "с этим сертификатом на сертифицированную программу нельзя, "
                                                      "на бесплатные программы — можно")
    left, total = months_left(terms.starts_on, terms.ends_on, today)
    share = "" if left == total else (
        f" (номинал {rubles(nominal_for(terms.nominals, birth, ovz, max(today, terms.starts_on)))} "
        f"за {left} из {total} мес. периода, при записи в этом месяце)")
    return FundingOutlook(amount, "on_first_enrollment",
                          f"Сертификат получит {rubles(amount)}{share} при первой записи на сертифицированную "
                          "программу, пока не исчерпан лимит сертификатов финансирования")


def own_money_left(available_kop: int, credited_kop: int, used_kop: int) -> int:
    """What a period's close expires on one certificate: the period's own credit not taken by
    contracts of the period's year (`used_kop`: what they hold and have debited), and never
    more than is free. Money credited by another period (next year's, credited before this one
    closes) is not the period's and stays."""
    return max(0, min(available_kop, credited_kop - used_kop))
