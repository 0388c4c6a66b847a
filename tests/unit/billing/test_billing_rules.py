from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pfdo_kit.calendar import WorkingCalendar
from services.billing.domain.advances import (
    advance_limit_kop,
    advance_open,
    advance_opens_on,
    payer_limits_kop,
    split_advance,
)
from services.billing.domain.charges import MonthFacts, charge_kop
from services.billing.domain.invoice import settle


def test_each_rule_for_the_delivered_ratio_with_rounding():
    f = MonthFacts(certificate_share_kop=1_000_00, planned_lessons=9, attended_lessons=7, still_reserved_kop=10**9)
    assert charge_kop("full_month", f) == 1_000_00
    assert charge_kop("attended_share", f) == 77_778  # 1000 ₽ × 7/9 = 777.777… → 777.78 ₽
    nothing = MonthFacts(1_000_00, 9, 0, 10**9)
    assert charge_kop("full_month", nothing) == charge_kop("attended_share", nothing) == 0


@given(st.integers(0, 10**7), st.integers(0, 40), st.integers(0, 40), st.integers(0, 10**7),
       st.sampled_from(["full_month", "attended_share"]))
def test_a_charge_never_exceeds_the_share_or_the_reservation(share, planned, attended, reserved, rule):
    c = charge_kop(rule, MonthFacts(share, planned, attended, reserved))
    assert 0 <= c <= min(share, reserved)


def test_advance_opens_on_the_second_working_day_up_to_the_percentage():
    russia = WorkingCalendar()
    assert advance_opens_on("2026-11", russia) == date(2026, 11, 3)  # Nov 1 is a Sunday
    assert not advance_open(date(2026, 11, 2), "2026-11", russia) and advance_open(date(2026, 11, 3), "2026-11", russia)
    assert not advance_open(date(2026, 12, 1), "2026-11", russia)  # only within the month itself
    # A regional day off on Nov 2 moves it past Unity Day (Nov 4, federal) to Nov 5.
    assert advance_opens_on("2026-11", WorkingCalendar(extra_days_off=[date(2026, 11, 2)])) == date(2026, 11, 5)
    assert advance_limit_kop(1_234_567) == 987_654  # 80 %, half up


def test_january_2026_advances_open_after_the_new_year_holidays():
    """1–8 January are days off and the 9th is moved from Saturday 3 January (decree): the
    month's 2nd working day is Tuesday the 13th, not the 6th as a list missing 5, 6, 8, 9 said."""
    russia = WorkingCalendar()
    assert advance_opens_on("2026-01", russia) == date(2026, 1, 13)
    assert not advance_open(date(2026, 1, 12), "2026-01", russia)
    assert advance_open(date(2026, 1, 13), "2026-01", russia)


def test_settlement_subtracts_the_advance_and_carries_a_negative_one():
    first = settle(charges_kop=50_000_00, advance_kop=60_000_00)
    assert (first.payable_kop, first.carried_out_kop) == (0, -10_000_00)
    second = settle(charges_kop=80_000_00, advance_kop=40_000_00, carried_in_kop=first.carried_out_kop)
    assert (second.settlement_kop, second.payable_kop) == (30_000_00, 30_000_00)


def test_an_advance_is_split_between_its_payers_to_the_kopeck():
    limits = payer_limits_kop({"chegem": 300_00, "baksan": 600_01, "neftekumsk": 0})
    assert limits == {"baksan": 480_01, "chegem": 240_00}  # 80 % each, half up; a payer with nothing is left out
    assert split_advance(sum(limits.values()), limits) == limits  # the whole limit: each its own
    assert split_advance(1_00, limits) == {"baksan": 67, "chegem": 33}
    for amount in (1, 2, 3, 333_33, 720_00):
        parts = split_advance(amount, limits)
        assert sum(parts.values()) == amount and all(parts[p] <= limits[p] for p in limits)
    assert split_advance(1, {"a": 1_00, "b": 1_00}) == {"a": 1, "b": 0}  # a tie goes by code
    with pytest.raises(ValueError):
        split_advance(720_02, limits)
