"""Contract rules without I/O: numbers, what a termination keeps reserved, what a contract still
holds and for which months, which dates are allowed."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date


def contract_number(serial: int, year: int) -> str:
    return f"ДС-{year}-{serial:06d}"


def keep_on_termination(shares: Mapping[str, int], charged_months: Iterable[str], end_month: str) -> int:
    """What must stay reserved for months not charged yet when a contract ends in `end_month`:
    their certificate shares (the month close charges what was delivered and releases the
    rest). Months already charged settle themselves; later months are released now."""
    done = set(charged_months)
    return sum(kop for month, kop in shares.items() if month <= end_month and month not in done)


def held_kop(reserved_kop: int, released_kop: int, charged_kop: int) -> int:
    """What the certificate still holds for a contract now: the offer's reservation less what
    went back (later months at a termination, undelivered shares at each close, the rest at the
    final charge) and what was charged."""
    return max(0, reserved_kop - released_kop - charged_kop)


def held_by_month(uncharged: Iterable[tuple[str, int]], held: int) -> dict[str, int]:
    """Spread what a contract still holds over its months not charged yet, earliest first, each
    up to its certificate share: those months are what the money is kept for. `uncharged`:
    (month, certificate share) within the contract's term."""
    out: dict[str, int] = {}
    for month, share_kop in sorted(uncharged):
        out[month] = min(max(share_kop, 0), held)
        held -= out[month]
    return out


def termination_date_problem(on: date, today: date, ends_on: date) -> str | None:
    """None if a running contract may end on `on`; otherwise why not, in Russian."""
    if on < today:
        return "Дата расторжения не может быть в прошлом"
    if on > ends_on:
        return "Дата расторжения позже окончания договора"
    return None


def lesson_date_problem(lesson_date: date, today: date, lesson_weekdays: Iterable[int]) -> str | None:
    """Attendance is marked for a lesson that took place: not in the future, on a lesson day."""
    if lesson_date > today:
        return "Нельзя отметить посещение будущего занятия"
    if lesson_date.weekday() not in set(lesson_weekdays):
        return "В этот день недели у группы нет занятий по расписанию"
    return None


def enrolled_on(lesson_date: date, signed_on: date | None, starts_on: date, ends_on: date,
                terminated_on: date | None) -> bool:
    """A child counts in a lesson's roster once the contract is signed and until it ends."""
    if signed_on is None:
        return False
    end = min(ends_on, terminated_on) if terminated_on else ends_on
    return max(signed_on, starts_on) <= lesson_date <= end
