"""The kit's calendar: ages, months and working days from the Russian production calendar."""
from datetime import date

import pytest

from pfdo_kit.calendar import (
    WorkingCalendar,
    age_on,
    first_day,
    last_day,
    month_of,
    months_between,
    next_month,
    parse_month,
)

RU = WorkingCalendar()


def test_age_counts_full_years_from_the_birthday_itself():
    assert age_on(date(2010, 3, 15), date(2028, 3, 14)) == 17
    assert age_on(date(2010, 3, 15), date(2028, 3, 15)) == 18
    assert age_on(date(2012, 2, 29), date(2030, 2, 28)) == 17
    assert age_on(date(2012, 2, 29), date(2030, 3, 1)) == 18


def test_months():
    assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert (first_day("2026-02"), last_day("2026-02"), last_day("2028-02")) == (
        date(2026, 2, 1), date(2026, 2, 28), date(2028, 2, 29))
    assert next_month("2026-12") == "2027-01" and month_of(date(2026, 1, 9)) == "2026-01"
    for bad in ("2026-13", "2026-00", "26-01", "2026-1"):
        with pytest.raises(ValueError):
            parse_month(bad)


def test_the_new_year_holidays_and_the_days_moved_by_decree_are_not_working_days():
    for day in [date(2026, 1, d) for d in range(1, 12)] + [date(2025, 12, 31)]:
        assert not RU.is_working_day(day), day  # 1–8 January, 9 January moved from 3 January, the weekend
    assert RU.is_working_day(date(2026, 1, 12))
    assert not RU.is_working_day(date(2025, 11, 3))  # moved from Saturday 1 November 2025
    assert RU.is_working_day(date(2025, 11, 1))  # that Saturday was a working day


def test_a_second_working_day_of_january_2026_is_the_13th():
    assert RU.nth_working_day(2026, 1, 1) == date(2026, 1, 12)
    assert RU.nth_working_day(2026, 1, 2) == date(2026, 1, 13)
    assert RU.nth_working_day(2026, 9, 2) == date(2026, 9, 2)
    with pytest.raises(ValueError):
        RU.nth_working_day(2026, 9, 25)


def test_seven_working_days_from_29_december_2025_end_on_19_january_2026():
    assert RU.add_working_days(date(2025, 12, 29), 7) == date(2026, 1, 19)


def test_the_regions_own_days_come_on_top():
    region = WorkingCalendar(extra_days_off=[date(2026, 9, 1)], extra_working_days=[date(2026, 9, 5)])
    assert not region.is_working_day(date(2026, 9, 1)) and RU.is_working_day(date(2026, 9, 1))
    assert region.is_working_day(date(2026, 9, 5)) and not RU.is_working_day(date(2026, 9, 5))
    assert region.add_working_days(date(2026, 8, 31), 1) == date(2026, 9, 2)
