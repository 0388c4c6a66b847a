"""What must hold after every rush, whatever was done to the platform during it."""
from __future__ import annotations


def assert_rush_sound(checks: dict) -> None:
    assert checks["lost"] == 0, checks
    assert checks["oversold_seats_groups"] == 0 and checks["seat_count_mismatches"] == 0, checks
    assert checks["negative_balances"] == 0 and checks["ledgers_not_adding_up"] == 0, checks
    assert checks["double_reservations"] == 0 and checks["signed_without_exact_reservation"] == 0, checks
    assert checks["enrolled_without_signed_contract"] == 0, checks
    assert set(checks["statuses"]) <= {"enrolled", "waitlisted"}, checks["statuses"]
    assert not any(checks["unsent_outbox"].values()), checks["unsent_outbox"]


def assert_reconciled(closed: dict) -> None:
    report = closed["reconciliation"]
    assert report["balanced"] and not report["differences"], report
    assert report["debited_kop"] == report["invoiced_kop"] == closed["close"]["charges_kop"] > 0, report
