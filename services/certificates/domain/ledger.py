"""The certificate ledger's rules, pure: which entry moves money between which buckets,
what each contract holds, and that one cause moves money once. Production (flows/ledger.py,
flows/debits.py) follows these rules in SQL; this model is the oracle it is tested against.

Two buckets: `available` (free to reserve) and `held` (reserved for contracts and not yet
debited), the latter kept per contract. A debit consumes a reservation, so it moves money out
of `held`, never out of `available`; that is why DESIGN's `available = credited − expired −
reserved − debited + released` holds when `reserved` counts every reservation and `released`
counts both released money and the part of reservations that debits consumed.
"""
from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Literal, TypeVar, get_args

LedgerKind = Literal["credit", "expire", "reserve", "release", "debit", "reversal"]
KINDS: tuple[LedgerKind, ...] = get_args(LedgerKind)
CONTRACT_KINDS = ("reserve", "release", "debit")  # entries that belong to one contract's reservation

T = TypeVar("T")


class LedgerRefused(ValueError):
    """The entry would make a bucket negative."""


def available(credited: T, expired: T, held: T, debited: T, reversed_: T) -> T:
    """A certificate's free money: the one definition, for integers and SQL columns alike."""
    return credited - expired - held - debited + reversed_


@dataclass(frozen=True)
class Balance:
    credited: int = 0
    expired: int = 0
    debited: int = 0
    reversed: int = 0
    holds: Mapping[Hashable, int] = field(default_factory=lambda: MappingProxyType({}))  # held, per contract

    @property
    def held(self) -> int:
        return sum(self.holds.values())

    @property
    def available(self) -> int:
        return available(self.credited, self.expired, self.held, self.debited, self.reversed)

    def held_for(self, contract: Hashable) -> int:
        return self.holds.get(contract, 0)

    def _hold(self, contract: Hashable, change: int) -> Mapping[Hashable, int]:
        return MappingProxyType({**self.holds, contract: self.held_for(contract) + change})


def apply(balance: Balance, kind: str, amount_kop: int, contract: Hashable = None) -> Balance:
    """The balance after one entry, or LedgerRefused. Amounts are positive kopecks;
    reserve, release and debit move the hold of `contract`."""
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
        return replace(b, holds=b._hold(contract, a))
    if kind == "release":
        _need(b.held_for(contract) >= a, "release more than the contract holds")
        return replace(b, holds=b._hold(contract, -a))
    if kind == "debit":
        _need(b.held_for(contract) >= a, "debit more than the contract holds")
        return replace(b, holds=b._hold(contract, -a), debited=b.debited + a)
    if kind == "reversal":
        _need(b.debited - b.reversed >= a, "reverse more than was debited")
        return replace(b, reversed=b.reversed + a)
    raise ValueError(f"unknown entry kind {kind!r}")


def settle_charge(held_kop: int, amount_kop: int, release_kop: int, final: bool) -> tuple[int, int]:
    """(debited, released) of one charge against what its contract holds: the debit never goes
    beyond the hold; then the month's undelivered part is freed, or, for a contract's final
    charge, everything it still holds."""
    debited = min(amount_kop, held_kop)
    released = held_kop - debited if final else min(release_kop, held_kop - debited)
    return debited, released


@dataclass(frozen=True)
class Ledger:
    """One certificate's ledger: its balance and the entries posted, by (kind, cause)."""

    balance: Balance = field(default_factory=Balance)
    entries: Mapping[tuple[str, str], int] = field(default_factory=lambda: MappingProxyType({}))

    def post(self, kind: str, amount_kop: int, cause: str, contract: Hashable = None) -> tuple[Ledger, bool]:
        """(the ledger after the entry, whether the cause was posted before: then nothing moves)."""
        if (kind, cause) in self.entries:
            return self, True
        balance = apply(self.balance, kind, amount_kop, contract)
        return Ledger(balance, MappingProxyType({**self.entries, (kind, cause): amount_kop})), False

    def charge(self, charge_id: Hashable, contract: Hashable, amount_kop: int, release_kop: int = 0,
               final: bool = False) -> tuple[Ledger, int, int]:
        """A billing charge: (the ledger after it, debited, released). A charge seen before
        answers what it moved then and moves nothing."""
        debit_cause, final_cause = charge_causes(charge_id)
        if ("debit", debit_cause) in self.entries or ("release", final_cause) in self.entries:
            return self, self.entries.get(("debit", debit_cause), 0), self.entries.get(("release", final_cause), 0)
        debited, released = settle_charge(self.balance.held_for(contract), amount_kop, release_kop, final)
        ledger = self
        for kind, amount, cause in (("debit", debited, debit_cause), ("release", released, final_cause)):
            if amount > 0:
                ledger, _ = ledger.post(kind, amount, cause, contract)
        return ledger, debited, released


def charge_causes(charge_id: Hashable) -> tuple[str, str]:
    """The causes of a charge's debit and of its release."""
    return f"charge:{charge_id}", f"final:{charge_id}"


def _need(condition: bool, why: str) -> None:
    if not condition:
        raise LedgerRefused(why)
