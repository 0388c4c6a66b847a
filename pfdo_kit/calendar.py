"""Days and months as Russian offices count them: a child's age on a day, billing months
("YYYY-MM"), and working days from the production calendar (производственный календарь).

Working days come from the `holidays` package's RU calendar, which knows the federal
holidays, the days off moved by government decree (31 December 2025, 9 January 2026…)
and the working Saturdays; a region adds its own days off (a regional holiday) or working
days on top, from its configuration.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def age_on(birth: date, day: date) -> int:
    """Full years on a day (a birthday counts from its own day)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_month(month: str) -> tuple[int, int]:
    found = MONTH_RE.match(month)
    if found is None:
        raise ValueError(f"not a month: {month!r}")
    return int(found.group(1)), int(found.group(2))


def first_day(month: str) -> date:
    year, mon = parse_month(month)
    return date(year, mon, 1)


def last_day(month: str) -> date:
    year, mon = parse_month(month)
    return (date(year + mon // 12, mon % 12 + 1, 1)) - timedelta(days=1)


def next_month(month: str) -> str:
    year, mon = parse_month(month)
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def months_between(start: date, end: date) -> list[str]:
    """Every month from start's to end's, both included."""
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


@lru_cache(maxsize=64)
def _federal(year: int) -> holidays.HolidayBase:
    return holidays.RU(years=year)


class WorkingCalendar:
    """The production calendar plus the region's own days off and working days."""

    def __init__(self, extra_days_off: Iterable[date] = (), extra_working_days: Iterable[date] = ()) -> None:
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        if day in self.extra_days_off:
            return False
        return _federal(day.year).is_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days after `start` (a deadline of N working days)."""
        day, left = start, days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def nth_working_day(self, year: int, month: int, n: int) -> date:
        """The month's n-th working day (n ≥ 1)."""
        if n < 1:
            raise ValueError("n starts at 1")
        day, seen = date(year, month, 1), 0
        while day.month == month:
            if self.is_working_day(day):
                seen += 1
                if seen == n:
                    return day
            day += timedelta(days=1)
        raise ValueError(f"{year}-{month:02d} has fewer than {n} working days")
