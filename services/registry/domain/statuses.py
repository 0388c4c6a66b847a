"""The provider's statuses and the only transitions allowed between them, as data: each
action's sources, target, whether it needs a reason, and the event that announces it."""
from __future__ import annotations

from dataclasses import dataclass

SUBMITTED, APPROVED, REJECTED, SUSPENDED, EXCLUDED = "submitted", "approved", "rejected", "suspended", "excluded"

# How a person reads each status in a refusal: "Нельзя допустить поставщика: он отклонён".
STATUS_NAMES = {SUBMITTED: "на рассмотрении", APPROVED: "допущен", REJECTED: "отклонён",
                SUSPENDED: "приостановлен", EXCLUDED: "исключён"}


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    needs_reason: bool
    event: str  # the key of pfdo_events.registry.STATUS_EVENTS (reinstate returns to approved but says so)
    verb: str  # the action in Russian, for refusals


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("approve", frozenset({SUBMITTED}), APPROVED, False, "approved", "допустить"),
        Transition("reject", frozenset({SUBMITTED}), REJECTED, True, "rejected", "отклонить"),
        Transition("suspend", frozenset({APPROVED}), SUSPENDED, True, "suspended", "приостановить"),
        Transition("reinstate", frozenset({SUSPENDED}), APPROVED, False, "reinstated", "восстановить"),
        Transition("exclude", frozenset({APPROVED, SUSPENDED}), EXCLUDED, True, "excluded", "исключить"),
    )
}


class IllegalTransition(Exception):
    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"cannot {action} a provider that is {current}")
        self.current, self.action = current, action


def next_status(current: str, action: str) -> str:
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        raise IllegalTransition(current, action)
    return transition.target
