"""Advances: from the month's second working day, up to the district's share of the month's
planned certificate shares, once per month; the invoice then subtracts it."""
from __future__ import annotations

from datetime import date, timedelta

from pfdo_kit.money import div_half_up


def nth_working_day(year: int, month: int, n: int, holidays: frozenset[date] = frozenset()) -> date:
    day, seen = date(year, month, 1), 0
    while True:
        if day.weekday() < 5 and day not in holidays:
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)


def advance_limit_kop(planned_shares_kop: int, percent: int = 80) -> int:
    return div_half_up(planned_shares_kop * percent, 100)


def advance_open(today: date, year: int, month: int, holidays: frozenset[date] = frozenset()) -> bool:
    return today >= nth_working_day(year, month, 2, holidays) and (today.year, today.month) == (year, month)
