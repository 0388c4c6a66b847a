"""Deadlines in working days (Monday to Friday; the district's holiday list can be added)."""
from __future__ import annotations

from datetime import date, timedelta


def add_working_days(start: date, days: int, holidays: frozenset[date] = frozenset()) -> date:
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day
