"""A mail delivery's statuses and the only moves between them, as data.

pending ──claim──▶ sending ──sent──▶ sent
   ▲                  │
   └──────failed──────┘      (tried again after a backoff; a mail is never dropped)

`claim` records the attempt BEFORE the SMTP call. A delivery whose sender died stays
"sending"; once its lease runs out it is claimed again and sent with the same Message-ID.
`postpone` keeps a pending mail waiting: no address known yet, or its recipient's rate is used up."""
from __future__ import annotations

from dataclasses import dataclass

PENDING, SENDING, SENT = "pending", "sending", "sent"
STATUSES = (PENDING, SENDING, SENT)


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str


TRANSITIONS: dict[str, Transition] = {t.action: t for t in (
    Transition("claim", frozenset({PENDING, SENDING}), SENDING),  # from SENDING only past its lease
    Transition("sent", frozenset({SENDING}), SENT),
    Transition("failed", frozenset({SENDING}), PENDING),
    Transition("postpone", frozenset({PENDING}), PENDING),
)}


class IllegalTransition(Exception):
    def __init__(self, current: str, action: str) -> None:
        super().__init__(f"cannot {action} a delivery that is {current}")
        self.current, self.action = current, action


def next_status(current: str, action: str) -> str:
    transition = TRANSITIONS[action]
    if current not in transition.sources:
        raise IllegalTransition(current, action)
    return transition.target
