from datetime import date, timedelta

from pfdo_kit.calendar import months_between
from services.catalog.domain.payment_plan import lessons_between, monthly_shares


def test_monthly_shares_add_up_to_the_kopeck():
    months = months_between(date(2026, 9, 1), date(2026, 12, 20))
    assert months == ["2026-09", "2026-10", "2026-11", "2026-12"]
    shares = monthly_shares(10_000_01, months, certificate_pays=True)
    assert sum(c + p for _, c, p in shares) == 10_000_01 and all(p == 0 for _, _, p in shares)
    capped = monthly_shares(12_000_00, months, certificate_pays=True, cap_per_month_kop=2_000_00)
    assert [(c, p) for _, c, p in capped] == [(2_000_00, 1_000_00)] * 4
    assert [c for _, c, _ in monthly_shares(4_000_00, months, certificate_pays=False)] == [0, 0, 0, 0]


def test_certificate_pays_up_to_the_normative_cost_and_the_family_the_rest():
    from services.catalog.domain.payment_plan import certificate_shares, normative_cap_kop

    assert normative_cap_kop(72, 150_00, 1100) == 11_880_00  # 72 h × 150 ₽ × 1.1
    months = ["2026-09", "2026-10", "2026-11"]
    shares = certificate_shares(15_000_00, 72, months, True, 150_00, 1100)
    assert sum(c for _, c, _ in shares) == 11_880_00 and sum(p for _, _, p in shares) == 3_120_00
    assert all(c + p == 5_000_00 for _, c, p in shares)
    cheap = certificate_shares(6_000_00, 72, months, True, 150_00, 1000)
    assert [(c, p) for _, c, p in cheap] == [(2_000_00, 0)] * 3
    family = certificate_shares(6_000_00, 72, months, False, 150_00, 1000)
    assert [(c, p) for _, c, p in family] == [(0, 2_000_00)] * 3


def test_shares_never_go_negative_at_the_edges():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from services.catalog.domain.payment_plan import certificate_shares

    @settings(max_examples=300, deadline=None)
    @given(st.integers(1, 10**7), st.integers(1, 500), st.integers(1, 12), st.integers(1, 500_00),
           st.integers(1, 3000))
    def check(price, hours, n, rate, k):
        months = [f"2026-{m:02d}" for m in range(1, n + 1)]
        shares = certificate_shares(price, hours, months, True, rate, k)
        assert all(c >= 0 and p >= 0 for _, c, p in shares)
        assert sum(c + p for _, c, p in shares) == price
        assert sum(c for _, c, _ in shares) == min(price, (hours * rate * k * 2 + 1000) // 2000)

    check()


def test_planned_lessons_follow_the_weekly_schedule_within_the_dates():
    from services.catalog.domain.payment_plan import planned_lessons

    # November 2026 has 5 Mondays (2, 9, 16, 23, 30) and 4 Wednesdays
    assert planned_lessons("2026-11", date(2026, 9, 1), date(2027, 5, 31), [0, 2]) == 9
    assert planned_lessons("2026-11", date(2026, 11, 10), date(2027, 5, 31), [0]) == 3
    assert planned_lessons("2026-12", date(2026, 9, 1), date(2026, 12, 15), [0, 0]) == 4  # Dec 7 and 14, twice each


def test_a_contract_signed_after_its_group_started_starts_at_its_own_start():
    from services.billing.domain.charges import MonthFacts, charge_kop
    from services.catalog.domain.payment_plan import contract_plan

    starts, ends = date(2026, 9, 1), date(2027, 5, 31)  # weekly on Mondays; November's are 2, 9, 16, 23, 30
    shares = monthly_shares(9_000_00, months_between(starts, ends), certificate_pays=True)
    year, start, plan = contract_plan(date(2026, 11, 29), starts, ends, [0], shares)
    # No September or October; November has only 30 November, and a fifth of its share.
    assert (year, start) == (2026, date(2026, 11, 29))
    assert plan == [("2026-11", 200_00, 0, 1), ("2026-12", 1_000_00, 0, 4)]
    # The child attended the one lesson it could: the attended-share rule pays the whole (own) share,
    # and the full-month rule charges no more than that.
    first = MonthFacts(certificate_share_kop=200_00, planned_lessons=1, attended_lessons=1, still_reserved_kop=1_200_00)
    assert charge_kop("attended_share", first) == charge_kop("full_month", first) == 200_00
    # Both parts are cut half up; a month with no lesson left is not part of the contract.
    _, _, cut = contract_plan(date(2026, 11, 16), starts, ends, [0], [("2026-11", 1_000_01, 333_33)])
    assert cut == [("2026-11", 600_01, 200_00, 3)]
    _, _, later = contract_plan(date(2026, 11, 26), starts, ends, [2], shares)  # Wednesdays: the last was 25 Nov
    assert [m for m, *_ in later] == ["2026-12"]
    # A contract accepted before its group starts keeps every month whole.
    _, start, whole = contract_plan(date(2026, 8, 20), starts, ends, [0], shares)
    assert start == starts and [m for m, *_ in whole] == ["2026-09", "2026-10", "2026-11", "2026-12"]
    assert all(c == 1_000_00 for _, c, _, _ in whole)


def _walked(first: date, last: date, weekdays: list[int]) -> int:
    """Lessons counted day by day, as a calendar would: the reference for the arithmetic count."""
    count, day = 0, first
    while day <= last:
        count += weekdays.count(day.weekday())
        day += timedelta(days=1)
    return count


def test_lessons_between_counts_what_walking_the_days_counts():
    import random
    rng = random.Random(23)
    for _ in range(3000):
        first = date(2026, 1, 1) + timedelta(days=rng.randrange(730))
        last = first + timedelta(days=rng.randrange(-3, 120))
        weekdays = [rng.randrange(7) for _ in range(rng.randrange(0, 5))]  # repeats and none included
        assert lessons_between(first, last, weekdays) == _walked(first, last, weekdays), (first, last, weekdays)
