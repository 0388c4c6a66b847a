"""Which month of a contract its page shows the attendance of (navigator.pages.contracts.shown_month)."""
from navigator.pages.contracts import shown_month

MONTHS = ["2026-09", "2026-10", "2026-11", "2026-12"]


def test_the_month_asked_for_when_the_contract_pays_it():
    assert shown_month("2026-10", MONTHS, "2026-11") == "2026-10"


def test_else_this_month_when_the_contract_pays_it():
    assert shown_month(None, MONTHS, "2026-11") == "2026-11"
    assert shown_month("2027-03", MONTHS, "2026-11") == "2026-11"  # a month outside the contract is not shown


def test_else_the_contracts_nearest_end():
    assert shown_month(None, MONTHS, "2026-08") == "2026-09"  # before the lessons start: the first month
    assert shown_month(None, MONTHS, "2027-02") == "2026-12"  # after they ended: the last month
