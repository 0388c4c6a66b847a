"""The provider's statuses and the only transitions allowed between them."""
from __future__ import annotations

from dataclasses import dataclass

SUBMITTED, APPROVED, REJECTED, SUSPENDED, EXCLUDED = "submitted", "approved", "rejected", "suspended", "excluded"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    needs_reason: bool


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("approve", frozenset({SUBMITTED}), APPROVED, needs_reason=False),
        Transition("reject", frozenset({SUBMITTED}), REJECTED, needs_reason=True),
        Transition("suspend", frozenset({APPROVED}), SUSPENDED, needs_reason=True),
        Transition("reinstate", frozenset({SUSPENDED}), APPROVED, needs_reason=False),
        Transition("exclude", frozenset({APPROVED, SUSPENDED}), EXCLUDED, needs_reason=True),
    )
}

# The event that announces each action (reinstate returns to approved but says so).
ACTION_EVENT = {"approve": "approved", "reject": "rejected", "suspend": "suspended",
                "reinstate": "reinstated", "exclude": "excluded"}


class IllegalTransition(Exception):
    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"cannot {action} a provider that is {current}")
        self.current, self.action = current, action


def next_status(current: str, action: str) -> str:
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        raise IllegalTransition(current, action)
    return transition.target


def is_active(status: str) -> bool:
    """Only an approved provider appears in the catalog and takes applications."""
    return status == APPROVED
