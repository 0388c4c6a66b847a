"""Property test: any sequence of ledger entries keeps the balance formula and available ≥ 0."""
from hypothesis import given, settings
from hypothesis import strategies as st

from services.certificates.domain.ledger import KINDS, Balance, LedgerRefused, apply

entries = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(min_value=1, max_value=5_000_00)), max_size=60)


@settings(max_examples=400, deadline=None)
@given(entries)
def test_every_step_keeps_the_formula_and_never_goes_negative(ops):
    balance = Balance()
    sums = dict.fromkeys(KINDS, 0)
    for kind, amount in ops:
        try:
            balance = apply(balance, kind, amount)
        except LedgerRefused:
            continue
        sums[kind] += amount
        assert balance.available >= 0 and balance.held >= 0
        # DESIGN's formula, where "released" also counts what debits consumed of reservations
        released = sums["release"] + sums["debit"]
        assert balance.available == (sums["credit"] - sums["expire"] - sums["reserve"] - sums["debit"]
                                     + released + sums["reversal"])
        assert balance.held == sums["reserve"] - released


def test_debit_comes_out_of_the_reservation():
    b = apply(apply(Balance(), "credit", 1000), "reserve", 300)
    b = apply(b, "debit", 100)
    assert (b.available, b.held, b.debited) == (700, 200, 100)
    b = apply(b, "release", 200)
    assert (b.available, b.held) == (900, 0)
