"""The certificate ledger's arithmetic: which entry moves money between which buckets.

Two buckets: `available` (free to reserve) and `held` (reserved for contracts and not yet
debited). A debit consumes a reservation, so it moves money out of `held`, never out of
`available`; that is why DESIGN's `available = credited − expired − reserved − debited +
released` holds when `reserved` counts every reservation and `released` counts both
released money and the part of reservations that debits consumed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

KINDS = ("credit", "expire", "reserve", "release", "debit", "reversal")


class LedgerRefused(ValueError):
    """The entry would make a bucket negative."""


@dataclass(frozen=True)
class Balance:
    credited: int = 0
    expired: int = 0
    held: int = 0
    debited: int = 0
    reversed: int = 0

    @property
    def available(self) -> int:
        return self.credited - self.expired - self.held - self.debited + self.reversed


def apply(balance: Balance, kind: str, amount_kop: int) -> Balance:
    """The balance after one entry, or LedgerRefused. Amounts are positive kopecks."""
    if amount_kop <= 0:
        raise ValueError("amount must be positive kopecks")
    b, a = balance, amount_kop
    if kind == "credit":
        return replace(b, credited=b.credited + a)
    if kind == "expire":
        _need(b.available >= a, "expire more than is available")
        return replace(b, expired=b.expired + a)
    if kind == "reserve":
        _need(b.available >= a, "reserve more than is available")
        return replace(b, held=b.held + a)
    if kind == "release":
        _need(b.held >= a, "release more than is held")
        return replace(b, held=b.held - a)
    if kind == "debit":
        _need(b.held >= a, "debit more than is held")
        return replace(b, held=b.held - a, debited=b.debited + a)
    if kind == "reversal":
        _need(b.debited - b.reversed >= a, "reverse more than was debited")
        return replace(b, reversed=b.reversed + a)
    raise ValueError(f"unknown entry kind {kind!r}")


def _need(condition: bool, why: str) -> None:
    if not condition:
        raise LedgerRefused(why)
