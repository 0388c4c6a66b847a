"""The staff pages' shared helpers, without I/O: page numbers, months, rubles, refusals, bounded fan-out."""
from __future__ import annotations

import asyncio

import pytest

from navigator.formatting import snils_masked
from navigator.gateway import ApiProblem
from navigator.pages.staff_common import bounded, kopecks, page_number, parse_month, rubles_input, shown
from navigator.web import disposition


@pytest.mark.parametrize("value, number", [("2", 2), ("", 1), (None, 1), ("²", 1), ("٣", 1), ("-1", 1), ("0", 1),
                                           ("9999999", 100_000), (" 3 ", 3)])
def test_a_page_number_is_ascii_digits_only(value, number):
    assert page_number(value) == number


@pytest.mark.parametrize("value, month", [("2026-09", "2026-09"), ("1999-12", None), ("2100-01", None),
                                          ("2026-13", None), ("2026-９", None), ("", None)])
def test_a_month_is_yyyy_mm_of_this_century(value, month):
    assert parse_month(value) == month


@pytest.mark.parametrize("text, kop", [("12 345,67", 1_234_567), ("12345.67", 1_234_567), ("1 500", 150_000),
                                       ("1\u00a0500", 150_000), ("1\u202f500,5", 150_050), ("0,01", 1),
                                       ("18 000 ₽", 1_800_000), ("", None)])
def test_rubles_are_read_exactly(text, kop):
    assert kopecks(text) == kop


@pytest.mark.parametrize("text", ["12,345", "1,5,0", "abc", "-5", "１２", "1e3"])
def test_what_is_not_a_sum_is_refused_with_words(text):
    with pytest.raises(ValueError):
        kopecks(text)


def test_kopecks_go_back_into_a_form_as_typed():
    assert rubles_input(1_234_567) == "12345,67" and rubles_input(1_500_000) == "15000" and rubles_input(None) == ""


@pytest.mark.parametrize("status, beside_the_field", [(422, True), (409, True), (403, True), (401, False),
                                                      (404, False), (500, False), (503, False)])
def test_which_refusals_a_page_shows(status, beside_the_field):
    assert shown(ApiProblem(status, {"title": "x"})) is beside_the_field


def test_snils_in_a_list_shows_only_its_control_number():
    assert snils_masked("112-233-445 95") == "***-***-*** 95" and snils_masked(None) == "—"


def test_a_files_name_is_the_apis_or_a_safe_ascii_one():
    given = "attachment; filename=\"sverka.csv\"; filename*=UTF-8''%D1%81%D0%B2%D0%B5%D1%80%D0%BA%D0%B0.csv"
    assert disposition(given, "x", "csv") == given
    assert disposition(None, 'invoice-"a\r\nb/../ё', "csv") == 'attachment; filename="invoice-_a_b.csv"'


def test_bounded_runs_at_most_four_at_once():
    running, most = 0, 0

    async def call(n: int) -> int:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.01)
        running -= 1
        return n

    assert asyncio.run(bounded(call(n) for n in range(10))) == list(range(10))
    assert most == 4
