"""What a provider's history records: the action of each write (a status decision is named
after its transition in `statuses.TRANSITIONS`)."""
from __future__ import annotations

from typing import Literal

ChangeAction = Literal["submit", "approve", "reject", "suspend", "reinstate", "exclude", "payment_agreement",
                       "add_venue"]
SUBMIT, PAYMENT_AGREEMENT, ADD_VENUE = "submit", "payment_agreement", "add_venue"
