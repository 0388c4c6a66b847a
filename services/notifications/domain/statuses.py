"""A mail delivery's statuses and the only moves between them, as data.

pending ──claim──▶ sending ──sent──▶ sent
   ▲                  │
   └──────failed──────┘      (tried again after a backoff; a mail is never dropped)

`claim` records the attempt BEFORE the SMTP call. A delivery whose sender died stays
"sending"; once its lease runs out it is claimed again and sent with the same Message-ID.
`postpone` keeps a pending mail waiting: no address known yet, or its recipient's rate is used up."""
from __future__ import annotations

from pfdo_kit.transitions import Move, StatusMachine

PENDING, SENDING, SENT = "pending", "sending", "sent"
STATUSES = (PENDING, SENDING, SENT)


TRANSITIONS: StatusMachine[Move] = StatusMachine({
    "claim": Move(frozenset({PENDING, SENDING}), SENDING),  # from SENDING only past its lease
    "sent": Move(frozenset({SENDING}), SENT),
    "failed": Move(frozenset({SENDING}), PENDING),
    "postpone": Move(frozenset({PENDING}), PENDING),
})
