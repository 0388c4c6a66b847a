"""What a provider's history records: the action of each write (a status decision is named
after its transition in `statuses.TRANSITIONS`)."""
from __future__ import annotations

from typing import Literal

# payment_agreement: the single agreement of a provider before regions (old history only);
# agreement: an agreement with a payer municipality for a year made or changed.
ChangeAction = Literal["submit", "approve", "reject", "suspend", "reinstate", "exclude", "payment_agreement",
                       "agreement", "add_venue"]
SUBMIT, AGREEMENT, ADD_VENUE = "submit", "agreement", "add_venue"
