"""The month's reconciliation rule, pure: for every contract, what the certificates' ledger
debited for the month minus what disputes gave back equals what the invoices charged for it
minus the corrections of those reversals, to the kopeck; and so per provider and in total."""
from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """One service's figures for the month, per contract: the money moved and what disputes undid."""

    moved: Mapping[uuid.UUID, int]  # debited (certificates) or invoiced (billing)
    undone: Mapping[uuid.UUID, int]  # reversed (certificates) or corrected (billing)

    def net(self, contract: uuid.UUID) -> int:
        return self.moved.get(contract, 0) - self.undone.get(contract, 0)

    def contracts(self) -> set[uuid.UUID]:
        return {c for c, kop in {**self.moved, **self.undone}.items() if kop or self.net(c)}

    def total(self, contracts=None) -> tuple[int, int]:
        keys = set(self.moved) | set(self.undone) if contracts is None else contracts
        return sum(self.moved.get(c, 0) for c in keys), sum(self.undone.get(c, 0) for c in keys)


def differing(ledger: Side, billed: Side) -> list[uuid.UUID]:
    """The contracts whose nets differ, in a stable order."""
    return sorted((c for c in ledger.contracts() | billed.contracts() if ledger.net(c) != billed.net(c)), key=str)


def by_provider(provider_of: Mapping[uuid.UUID, uuid.UUID], ledger: Side, billed: Side) -> dict[uuid.UUID, set]:
    """The contracts of each provider (as billing knows them) that moved money in the month."""
    groups: dict[uuid.UUID, set] = {}
    for contract in ledger.contracts() | billed.contracts():
        if contract in provider_of:
            groups.setdefault(provider_of[contract], set()).add(contract)
    return groups
