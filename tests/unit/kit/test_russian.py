"""Numbers, money and dates as people write them in Russian."""
from datetime import date, datetime

import pytest

from pfdo_kit.money import rubles as money
from pfdo_kit.russian import (
    CERTIFICATES,
    HOURS,
    LESSONS,
    NBSP,
    day,
    moment,
    month,
    plural,
)


def _plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(("n", "words"), [
    (0, "0 занятий"), (1, "1 занятие"), (2, "2 занятия"), (4, "4 занятия"), (5, "5 занятий"),
    (11, "11 занятий"), (12, "12 занятий"), (14, "14 занятий"), (21, "21 занятие"), (22, "22 занятия"),
    (25, "25 занятий"), (101, "101 занятие"), (104, "104 занятия"), (111, "111 занятий"), (112, "112 занятий"),
])
def test_lessons_take_the_form_their_number_asks(n, words):
    assert _plain(plural(n, LESSONS)) == words


def test_other_words_follow_the_same_rule():
    assert [_plain(plural(n, HOURS)) for n in (1, 3, 12, 21)] == ["1 час", "3 часа", "12 часов", "21 час"]
    assert [_plain(plural(n, CERTIFICATES)) for n in (1, 2, 5)] == ["1 сертификат", "2 сертификата", "5 сертификатов"]


def test_a_number_and_its_word_never_part_at_a_line_break():
    assert plural(5, LESSONS) == f"5{NBSP}занятий"


@pytest.mark.parametrize(("kop", "written"), [
    (0, "0,00 ₽"), (50, "0,50 ₽"), (100, "1,00 ₽"), (99_999, "999,99 ₽"), (123_450, "1 234,50 ₽"),
    (100_000_000, "1 000 000,00 ₽"), (-123_450, "−1 234,50 ₽"),
])
def test_money_with_a_comma_before_kopecks_and_groups_of_three(kop, written):
    assert _plain(money(kop)) == written


def test_money_groups_and_sign_are_held_by_no_break_spaces():
    assert money(123_450) == f"1{NBSP}234,50{NBSP}₽"


def test_dates_with_the_month_in_the_genitive():
    assert _plain(day(date(2026, 9, 5))) == "5 сентября 2026 г."
    assert _plain(day(date(2027, 3, 1))) == "1 марта 2027 г."
    assert _plain(moment(datetime(2026, 9, 5, 14, 30))) == "5 сентября 2026 г. в 14:30"


def test_a_month_by_its_name():
    assert _plain(month("2026-09")) == "сентябрь 2026 г."
    assert _plain(month("2027-01")) == "январь 2027 г."
