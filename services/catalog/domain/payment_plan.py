"""Monthly shares of a group's price: the certificate's part and the family's co-payment."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from pfdo_kit.calendar import first_day, last_day, months_between
from pfdo_kit.money import div_half_up
from services.catalog.domain.registers import CERTIFIED

if TYPE_CHECKING:
    from services.catalog.models import Group, Module, Program


def monthly_shares(price_kop: int, months: list[str], certificate_pays: bool,
                   cap_per_month_kop: int | None = None) -> list[tuple[str, int, int]]:
    """(month, certificate kop, co-payment kop) per month; the last month takes the rounding
    remainder so the shares add up to the price to the kopeck."""
    if not months:
        return []
    base = div_half_up(price_kop, len(months))
    shares, left = [], price_kop
    for i, month in enumerate(months):
        part = left if i == len(months) - 1 else min(base, left)
        left -= part
        cert = min(part, cap_per_month_kop) if certificate_pays and cap_per_month_kop is not None else (
            part if certificate_pays else 0)
        shares.append((month, cert, part - cert))
    return shares


def normative_cap_kop(hours: int, kop_per_hour: int, coefficient_permille: int) -> int:
    """The most the certificate pays for a module: hours × normative rate × district coefficient."""
    return div_half_up(hours * kop_per_hour * coefficient_permille, 1000)


def certificate_shares(price_kop: int, hours: int, months: list[str], certificate_pays: bool,
                       kop_per_hour: int, coefficient_permille: int) -> list[tuple[str, int, int]]:
    """Monthly (certificate, family) shares: the certificate covers up to the normative cost,
    spread like the price; the family pays the rest. Both add up to the kopeck."""
    totals = [(m, part) for m, part, _ in monthly_shares(price_kop, months, certificate_pays=True)]
    if not certificate_pays:
        return [(m, 0, part) for m, part in totals]
    cap = min(price_kop, normative_cap_kop(hours, kop_per_hour, coefficient_permille))
    covered = [min(part, c) for (_, part), (_, c, _) in zip(totals, monthly_shares(cap, months, True))]
    short = cap - sum(covered)  # rounding can leave a few kopecks: put them where a month has room
    for i, (_, part) in enumerate(totals):
        extra = min(short, part - covered[i])
        covered[i] += extra
        short -= extra
    return [(m, c, part - c) for (m, part), c in zip(totals, covered)]


def contract_months(today: date, starts_on: date, ends_on: date) -> tuple[int, list[str]]:
    """The certificate period (a calendar year) an enrollment is paid from, the year the lessons
    start or this one if they have started, and the months of it the contract pays: from this
    month or the start, to the group's or the year's end."""
    year = period_year(today, starts_on)
    start = max(starts_on, date(year, 1, 1), today.replace(day=1))
    return year, months_between(start, min(ends_on, date(year, 12, 31)))


def period_year(today: date, starts_on: date) -> int:
    return max(today, starts_on).year


def contract_start(today: date, starts_on: date) -> date:
    """A contract starts the day it is accepted, or the group's first day if that is later."""
    return max(today, starts_on)


def contract_plan(today: date, starts_on: date, ends_on: date, weekdays: list[int],
                  shares: list[tuple[str, int, int]]) -> tuple[int, date, list[tuple[str, int, int, int]]]:
    """The contract's period year, start, and (month, certificate kop, family kop, planned lessons)
    for the months it pays, from the group's monthly `shares`. Months and planned lessons start at
    the contract's own start: a month it joins part-way has only the lessons from that day, and its
    shares are cut in proportion (half up) to the lessons it keeps of the month's; a first month
    left with no lesson is not part of the contract."""
    year, months = contract_months(today, starts_on, ends_on)
    start = contract_start(today, starts_on)
    plan = []
    for month, cert, copay in shares:
        if month not in months:
            continue
        whole = planned_lessons(month, starts_on, ends_on, weekdays)
        own = planned_lessons(month, start, ends_on, weekdays)
        if own < whole:
            if own == 0:
                continue
            cert, copay = div_half_up(cert * own, whole), div_half_up(copay * own, whole)
        plan.append((month, cert, copay, own))
    return year, start, plan


def planned_lessons(month: str, starts_on: date, ends_on: date, weekdays: list[int]) -> int:
    """Lessons the weekly schedule puts in a month, within the group's dates (one per listed weekday)."""
    return lessons_between(max(starts_on, first_day(month)), min(ends_on, last_day(month)), weekdays)


def lessons_between(first: date, last: date, weekdays: list[int]) -> int:
    """Lessons from `first` to `last` inclusive, one per listed weekday (a weekday listed twice: two):
    every whole week holds each listed day once, and the days left over are counted one by one
    (without walking the range: each accepted application plans every month of its group)."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    start = first.weekday()
    return weeks * len(weekdays) + sum(weekdays.count((start + i) % 7) for i in range(rest))


@dataclass(frozen=True)
class Pricing:
    """The district's normative cost: kopecks per person-hour by direction, coefficient in thousandths."""

    kop_per_hour: dict[str, int]
    coefficient_permille: int

    def shares(self, program: Program, module: Module, group: Group, register: str) -> list[tuple[str, int, int]]:
        """(month, certificate kop, family kop) for every month of the group."""
        return certificate_shares(module.price_kop, module.hours, months_between(group.starts_on, group.ends_on),
                                  register == CERTIFIED, self.kop_per_hour.get(program.direction, 0),
                                  self.coefficient_permille)
