"""The provider's statuses and the only transitions allowed between them, as data: each
action's sources, target, whether it needs a reason, and the event that announces it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

from pfdo_kit.transitions import Move, StatusMachine

ProviderStatus = Literal["submitted", "approved", "rejected", "suspended", "excluded"]
SUBMITTED, APPROVED, REJECTED, SUSPENDED, EXCLUDED = get_args(ProviderStatus)

# How a person reads each status in a refusal: "Нельзя допустить поставщика: он отклонён".
STATUS_NAMES = {SUBMITTED: "на рассмотрении", APPROVED: "допущен", REJECTED: "отклонён",
                SUSPENDED: "приостановлен", EXCLUDED: "исключён"}


@dataclass(frozen=True)
class Transition(Move):
    needs_reason: bool
    event: str  # the key of pfdo_events.registry.STATUS_EVENTS (reinstate returns to approved but says so)
    verb: str  # the action in Russian, for refusals


TRANSITIONS: StatusMachine[Transition] = StatusMachine({
    "approve": Transition(frozenset({SUBMITTED}), APPROVED, False, "approved", "допустить"),
    "reject": Transition(frozenset({SUBMITTED}), REJECTED, True, "rejected", "отклонить"),
    "suspend": Transition(frozenset({APPROVED}), SUSPENDED, True, "suspended", "приостановить"),
    "reinstate": Transition(frozenset({SUSPENDED}), APPROVED, False, "reinstated", "восстановить"),
    "exclude": Transition(frozenset({APPROVED, SUSPENDED}), EXCLUDED, True, "excluded", "исключить"),
})
