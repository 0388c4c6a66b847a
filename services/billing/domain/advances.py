"""Advances: from the month's second working day, up to the region's percentage of the month's
planned certificate shares of the payers the provider has an agreement with, once per month;
each payer's invoice then subtracts that payer's part."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pfdo_kit.calendar import WorkingCalendar, month_of, parse_month
from pfdo_kit.money import div_half_up

OPENS_ON_WORKING_DAY = 2


def advance_opens_on(month: str, calendar: WorkingCalendar) -> date:
    year, mon = parse_month(month)
    return calendar.nth_working_day(year, mon, OPENS_ON_WORKING_DAY)


def advance_open(today: date, month: str, calendar: WorkingCalendar) -> bool:
    """Asked within the month itself, from its second working day (production calendar)."""
    return month_of(today) == month and today >= advance_opens_on(month, calendar)


def advance_limit_kop(planned_shares_kop: int, percent: int = 80) -> int:
    return div_half_up(planned_shares_kop * percent, 100)


def payer_limits_kop(planned_by_payer: Mapping[str, int], percent: int = 80) -> dict[str, int]:
    """Each payer's limit: the percentage of its contracts' planned shares (payers with none left out).
    The provider's limit is their sum, so each payer's part never passes its own."""
    limits = {payer: advance_limit_kop(kop, percent) for payer, kop in planned_by_payer.items()}
    return {payer: kop for payer, kop in sorted(limits.items()) if kop > 0}


def split_advance(amount_kop: int, limits: Mapping[str, int]) -> dict[str, int]:
    """Who pays what of an advance: in proportion to the payers' limits, to the kopeck (the
    largest remainders take the odd kopecks, ties by payer code); the parts add up to the amount
    and none passes its payer's limit."""
    total = sum(limits.values())
    if not 0 <= amount_kop <= total:
        raise ValueError("an advance is within the sum of its payers' limits")
    if total == 0:
        return {}
    parts = {payer: amount_kop * kop // total for payer, kop in limits.items()}
    left = amount_kop - sum(parts.values())
    by_remainder = sorted(limits, key=lambda payer: (-(amount_kop * limits[payer] % total), payer))
    for payer in by_remainder[:left]:
        parts[payer] += 1
    return dict(sorted(parts.items()))
