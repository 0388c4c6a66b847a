from datetime import date

from services.catalog.domain.payment_plan import monthly_shares, months_between
from services.catalog.domain.working_days import add_working_days


def test_deadline_counts_working_days_only():
    assert add_working_days(date(2026, 11, 20), 7) == date(2026, 12, 1)  # Fri + 7 working days
    assert add_working_days(date(2026, 11, 23), 1, frozenset({date(2026, 11, 24)})) == date(2026, 11, 25)


def test_monthly_shares_add_up_to_the_kopeck():
    months = months_between(date(2026, 9, 1), date(2026, 12, 20))
    assert months == ["2026-09", "2026-10", "2026-11", "2026-12"]
    shares = monthly_shares(10_000_01, months, certificate_pays=True)
    assert sum(c + p for _, c, p in shares) == 10_000_01 and all(p == 0 for _, _, p in shares)
    capped = monthly_shares(12_000_00, months, certificate_pays=True, cap_per_month_kop=2_000_00)
    assert [(c, p) for _, c, p in capped] == [(2_000_00, 1_000_00)] * 4
    assert [c for _, c, _ in monthly_shares(4_000_00, months, certificate_pays=False)] == [0, 0, 0, 0]
