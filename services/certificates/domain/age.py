"""A child's age on a day, and whether the district's rule lets them hold a certificate."""
from __future__ import annotations

from datetime import date


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def eligible(birth: date, day: date, min_age: int, max_age: int) -> bool:
    return min_age <= age_on(birth, day) <= max_age
