"""Contract rules without I/O: what a termination keeps, what a contract still holds and for which
months, who is in a lesson's roster."""
from datetime import date

from services.billing.domain.charges import MonthFacts, release_kop
from services.billing.domain.contracts import (
    contract_number,
    enrolled_on,
    held_by_month,
    held_kop,
    keep_on_termination,
    lesson_date_problem,
    termination_date_problem,
)

SHARES = {"2026-09": 300_00, "2026-10": 300_00, "2026-11": 250_00}


def test_a_termination_keeps_the_uncharged_months_up_to_its_end_and_releases_later_ones():
    assert keep_on_termination(SHARES, [], "2026-10") == 600_00
    assert keep_on_termination(SHARES, ["2026-09"], "2026-10") == 300_00  # September settled itself
    assert keep_on_termination(SHARES, ["2026-09", "2026-10"], "2026-10") == 0
    assert keep_on_termination(SHARES, [], "2026-08") == 0  # ended before it began
    assert keep_on_termination(SHARES, [], "2027-01") == 850_00


def test_what_a_contract_holds_is_its_reservation_less_what_went_back_and_what_was_charged():
    assert held_kop(900_00, 0, 0) == 900_00  # the offer
    assert held_kop(900_00, 300_00, 0) == 600_00  # terminated in October: November went back
    assert held_kop(900_00, 480_00, 120_00) == 300_00  # September closed: 120 ₽ charged, 180 ₽ back
    assert held_kop(900_00, 705_00, 195_00) == 0  # after the final charge
    assert held_kop(0, 0, 0) == 0  # a draft: nothing reserved yet


def test_what_is_held_is_for_the_earliest_months_not_charged_yet():
    uncharged = [("2026-11", 250_00), ("2026-10", 300_00)]
    assert held_by_month(uncharged, 550_00) == {"2026-10": 300_00, "2026-11": 250_00}
    assert held_by_month(uncharged, 400_00) == {"2026-10": 300_00, "2026-11": 100_00}
    assert held_by_month(uncharged, 0) == {"2026-10": 0, "2026-11": 0}  # void, or closed out
    assert held_by_month([], 300_00) == {}


def test_a_month_releases_what_was_not_delivered_never_more_than_is_held():
    assert release_kop(MonthFacts(300_00, 5, 3, 900_00), 180_00) == 120_00
    assert release_kop(MonthFacts(300_00, 5, 0, 900_00), 0) == 300_00
    assert release_kop(MonthFacts(300_00, 5, 5, 100_00), 100_00) == 0  # capped charge took all that was held
    assert release_kop(MonthFacts(300_00, 5, 2, 150_00), 120_00) == 30_00


def test_termination_dates():
    today, ends = date(2026, 9, 20), date(2026, 11, 30)
    assert termination_date_problem(date(2026, 9, 20), today, ends) is None
    assert termination_date_problem(date(2026, 9, 19), today, ends) == "Дата расторжения не может быть в прошлом"
    assert termination_date_problem(date(2026, 12, 1), today, ends) == "Дата расторжения позже окончания договора"


def test_attendance_is_for_past_lessons_on_lesson_days():
    tuesday = [1]
    assert lesson_date_problem(date(2026, 9, 8), date(2026, 9, 8), tuesday) is None
    assert lesson_date_problem(date(2026, 9, 15), date(2026, 9, 8), tuesday) is not None
    assert lesson_date_problem(date(2026, 9, 9), date(2026, 9, 10), tuesday) is not None


def test_the_roster_holds_a_child_from_signature_or_start_to_the_end():
    start, end = date(2026, 9, 1), date(2026, 11, 30)
    assert not enrolled_on(date(2026, 9, 8), None, start, end, None)  # not signed
    assert not enrolled_on(date(2026, 9, 8), date(2026, 9, 10), start, end, None)  # before the signature
    assert enrolled_on(date(2026, 9, 15), date(2026, 9, 10), start, end, None)
    assert not enrolled_on(date(2026, 10, 6), date(2026, 9, 1), start, end, date(2026, 9, 30))  # after the end
    assert enrolled_on(date(2026, 9, 29), date(2026, 9, 1), start, end, date(2026, 9, 30))


def test_contract_numbers_are_readable():
    assert contract_number(42, 2026) == "ДС-2026-000042"
