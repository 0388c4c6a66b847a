from datetime import date

from pfdo_kit.calendar import WorkingCalendar
from services.catalog.domain.deadlines import decide_by


def test_the_decision_deadline_counts_working_days_of_the_production_calendar():
    assert decide_by(date(2026, 11, 20), WorkingCalendar()) == date(2026, 12, 1)  # Fri + 7 working days


def test_the_new_year_holidays_do_not_count():
    # 30 Dec is the one working day before the holidays (31 Dec 2025 and 1–11 Jan 2026 are days off),
    # then 12–16 and 19 Jan: the seventh working day is 19 January, not 7 January.
    assert decide_by(date(2025, 12, 29), WorkingCalendar()) == date(2026, 1, 19)


def test_the_regions_own_days_count_too():
    regional_holiday = WorkingCalendar(extra_days_off=[date(2026, 11, 24)])
    assert decide_by(date(2026, 11, 20), regional_holiday) == date(2026, 12, 2)
