"""Advances: from the month's second working day, up to the district's share of the month's
planned certificate shares, once per month; the invoice then subtracts it."""
from __future__ import annotations

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
