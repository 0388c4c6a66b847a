"""The ledger model's rules that production shares: holds per contract, one cause moves money
once, and a charge settles against its own contract's hold."""
import pytest

from services.certificates.domain.ledger import Ledger, LedgerRefused, settle_charge


def test_a_contract_releases_and_is_debited_only_what_it_holds():
    ledger, _ = Ledger().post("credit", 1000, "period:2026:credit")
    ledger, _ = ledger.post("reserve", 300, "application:a", "a")
    ledger, _ = ledger.post("reserve", 200, "application:b", "b")
    with pytest.raises(LedgerRefused):
        ledger.post("release", 301, "termination:a", "a")  # the certificate holds 500, contract a only 300
    ledger, _ = ledger.post("debit", 300, "charge:1", "a")
    assert (ledger.balance.held, ledger.balance.held_for("a"), ledger.balance.available) == (200, 0, 500)


def test_a_cause_moves_money_once():
    ledger, first = Ledger().post("credit", 1000, "period:2026:credit")
    again, duplicate = ledger.post("credit", 1000, "period:2026:credit")
    assert (first, duplicate, again.balance.credited) == (False, True, 1000)


def test_a_charge_settles_against_its_hold_and_answers_the_same_when_sent_again():
    assert settle_charge(held_kop=500, amount_kop=300, release_kop=100, final=False) == (300, 100)
    assert settle_charge(held_kop=500, amount_kop=300, release_kop=0, final=True) == (300, 200)
    assert settle_charge(held_kop=200, amount_kop=300, release_kop=100, final=False) == (200, 0)
    ledger, _ = Ledger().post("credit", 1000, "period:2026:credit")
    ledger, _ = ledger.post("reserve", 600, "application:a", "a")
    ledger, debited, released = ledger.charge(1, "a", 250, release_kop=50)
    assert (debited, released, ledger.balance.held_for("a"), ledger.balance.debited) == (250, 50, 300, 250)
    same, debited, released = ledger.charge(1, "a", 250, release_kop=50)
    assert (same, debited, released) == (ledger, 250, 50)
    _, debited, released = ledger.charge(2, "b", 100)  # contract b holds nothing on this certificate
    assert (debited, released) == (0, 0)
