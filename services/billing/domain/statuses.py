"""The statuses of a contract and of a month's close, and the only moves between them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ContractStatus = Literal["draft", "offered", "signed", "terminated", "void"]
DRAFT, OFFERED, SIGNED, TERMINATED, VOID = "draft", "offered", "signed", "terminated", "void"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str


# draft → offered (certificates reserved the money) → signed (by the family) → terminated;
# a contract never signed ends void instead.
CONTRACT_TRANSITIONS: dict[str, Transition] = {
    "offer": Transition(frozenset({DRAFT}), OFFERED),
    "sign": Transition(frozenset({OFFERED}), SIGNED),
    "void": Transition(frozenset({DRAFT, OFFERED}), VOID),
    "terminate": Transition(frozenset({SIGNED}), TERMINATED),
}
ENDED = (TERMINATED, VOID)
RUNNING = (DRAFT, OFFERED, SIGNED)


def can(action: str, status: str) -> bool:
    return status in CONTRACT_TRANSITIONS[action].sources


def next_status(status: str, action: str) -> str:
    if not can(action, status):
        raise ValueError(f"cannot {action} a contract that is {status}")
    return CONTRACT_TRANSITIONS[action].target


# A month's close moves one way through these steps, in this order: every billable contract
# charged (one statement), the charges posted in batches, then closed once certificates
# confirmed them all and the invoices are issued.
CHARGING, POSTING, POSTED, CLOSED = "charging", "posting", "posted", "closed"
MONTH_CLOSE_STEPS: tuple[str, ...] = (CHARGING, POSTING, POSTED, CLOSED)
