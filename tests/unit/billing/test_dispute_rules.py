"""The dispute rules, pure: the window, what each answer gives back, when the operator may decide,
and — over random outcomes — that no dispute ever gives back more than its debit, so the
certificate's ledger takes every reversal and debits − reversals = charges − corrections."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.billing.domain import disputes as rules
from services.billing.domain.charges import explain
from services.billing.domain.invoice import settle
from services.billing.domain.statuses import (
    AWAITING_OPERATOR,
    AWAITING_PROVIDER,
    DISPUTE_TRANSITIONS,
    RESOLVED,
    WITHDRAWN,
)
from services.certificates.domain.ledger import Ledger


def test_a_debit_may_be_disputed_through_the_last_day_of_the_window():
    debited = date(2026, 10, 5)
    rules.check_opening(180_00, debited, date(2026, 11, 4), 30)
    with pytest.raises(rules.DisputeRefused, match="истёк"):
        rules.check_opening(180_00, debited, date(2026, 11, 5), 30)
    with pytest.raises(rules.DisputeRefused):
        rules.check_opening(0, debited, debited, 30)


def test_each_answer_gives_back_its_part_and_explains_itself():
    assert rules.provider_reversal("agree_full", 180_00, None, None) == 180_00
    assert rules.provider_reversal("agree_part", 180_00, 60_00, "одно занятие") == 60_00
    assert rules.provider_reversal("disagree", 180_00, None, "был на всех") == 0
    for amount in (None, 0, 180_00, 180_01):
        with pytest.raises(rules.DisputeRefused) as e:
            rules.provider_reversal("agree_part", 180_00, amount, "часть")
        assert e.value.field == "reversal_kop"
    with pytest.raises(rules.DisputeRefused) as e:
        rules.provider_reversal("disagree", 180_00, None, "  ")
    assert e.value.field == "comment"


def test_the_operator_decides_after_the_answer_or_after_the_providers_deadline():
    due = rules.answer_due(date(2026, 10, 5), 10)
    assert due == date(2026, 10, 15)
    assert rules.operator_may_decide(AWAITING_OPERATOR, due, date(2026, 10, 6))
    assert not rules.operator_may_decide(AWAITING_PROVIDER, due, date(2026, 10, 15))
    assert rules.operator_may_decide(AWAITING_PROVIDER, due, date(2026, 10, 16))
    assert not rules.operator_may_decide(RESOLVED, due, date(2027, 1, 1))
    assert rules.operator_reversal(120_00, 120_00, "всё") == 120_00
    with pytest.raises(rules.DisputeRefused):
        rules.operator_reversal(120_00, 120_01, "больше остатка")
    with pytest.raises(rules.DisputeRefused):
        rules.operator_reversal(120_00, 0, "")


def test_a_closed_dispute_takes_no_more_steps():
    for closed in (RESOLVED, WITHDRAWN):
        assert not any(DISPUTE_TRANSITIONS.can(closed, action) for action in DISPUTE_TRANSITIONS)
    assert not DISPUTE_TRANSITIONS.can(AWAITING_OPERATOR, "agree_full")  # the provider answers once


def test_a_debit_is_explained_in_the_familys_words():
    text = explain("attended_share", 300_00, 5, 3, 180_00)
    assert "300,00\u00a0₽ × 3/5 = 180,00\u00a0₽" in text and "посещено 3 из 5" in text
    assert "вся доля" in explain("full_month", 300_00, 5, 1, 300_00)
    assert "не больше, чем оставалось в резерве" in explain("attended_share", 300_00, 5, 5, 100_00)


outcome = st.tuples(st.sampled_from(["none", "agree_full", "agree_part", "disagree", "silent"]),
                    st.floats(0, 1), st.floats(0, 1), st.booleans())


@given(st.lists(st.tuples(st.integers(1, 500_00), outcome), min_size=1, max_size=12))
def test_random_outcomes_never_give_back_more_than_the_debit_and_the_books_agree(debits):
    ledger = Ledger()
    ledger, _ = ledger.post("credit", sum(d for d, _ in debits) + 1, "credit:period")
    reversed_total = 0
    for i, (debit, (answer, part, decision, withdraws)) in enumerate(debits):
        ledger, _ = ledger.post("reserve", debit, f"reserve:{i}", contract=i)
        ledger, debited, _ = ledger.charge(f"charge-{i}", i, debit)
        given = 0
        if answer != "none":
            if answer in ("agree_full", "agree_part", "disagree"):
                amount = max(1, int(part * (debit - 1))) if answer == "agree_part" and debit > 1 else None
                reply = answer if answer != "agree_part" or amount else "disagree"
                given = rules.provider_reversal(reply, debit, amount, "комментарий")
            if answer != "agree_full" and not withdraws:
                given += rules.operator_reversal(debit - given, int(decision * (debit - given)), "решение")
        assert 0 <= given <= debited
        for stage, amount in (("provider", given // 2), ("operator", given - given // 2)):
            if amount:
                ledger, _ = ledger.post("reversal", amount, f"reversal:{i}:{stage}")
        reversed_total += given
    charges = sum(d for d, _ in debits)
    invoice = settle(charges, 0, 0, reversed_total)
    assert ledger.balance.debited - ledger.balance.reversed == invoice.settlement_kop
    assert ledger.balance.available >= 0
