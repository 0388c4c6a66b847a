"""The district's age rule for certificates (ages counted by the kit's calendar), applied when a
child is added and again when the certificate is asked for."""
from __future__ import annotations

from datetime import date

from pfdo_kit.calendar import age_on


def eligible(birth: date, day: date, min_age: int, max_age: int) -> bool:
    """Whether the child may hold a certificate on the day: the district's ages, both ends
    included. The one rule for adding a child and for asking for the certificate (a child born
    later than the day is not eligible)."""
    return birth <= day and min_age <= age_on(birth, day) <= max_age


def adults_born_on_or_before(today: date, adult_age: int = 18) -> date:
    """The latest birth date of someone who has turned `adult_age` by today (29 February: the 28th)."""
    day = today.day if (today.month, today.day) != (2, 29) else 28
    return date(today.year - adult_age, today.month, day)


def age_rule(min_age: int, max_age: int) -> str:
    """The rule as a refusal tells it."""
    return f"Сертификат выдаётся детям от {min_age} до {max_age} лет"
