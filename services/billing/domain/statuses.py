"""The statuses of a contract and of a month's close, and the only moves between them."""
from __future__ import annotations

from typing import Literal

from pfdo_kit.transitions import Move, StatusMachine

ContractStatus = Literal["draft", "offered", "signed", "terminated", "void"]
DRAFT, OFFERED, SIGNED, TERMINATED, VOID = "draft", "offered", "signed", "terminated", "void"


# draft → offered (certificates reserved the money) → signed (by the family) → terminated;
# a contract never signed ends void instead.
CONTRACT_TRANSITIONS: StatusMachine[Move] = StatusMachine({
    "offer": Move(frozenset({DRAFT}), OFFERED),
    "sign": Move(frozenset({OFFERED}), SIGNED),
    "void": Move(frozenset({DRAFT, OFFERED}), VOID),
    "terminate": Move(frozenset({SIGNED}), TERMINATED),
})
ENDED = (TERMINATED, VOID)
RUNNING = (DRAFT, OFFERED, SIGNED)
# Who ended a contract: the person's role, or the system (a withdrawn application, a closed
# certificate, a suspended or excluded provider).
EndedBy = Literal["parent", "provider", "operator", "system"]


# A month's close moves one way through these steps, in this order: every billable contract
# charged (one statement), the charges posted in batches, then closed once certificates
# confirmed them all and the invoices are issued.
MonthCloseStatus = Literal["charging", "posting", "posted", "closed"]
CHARGING, POSTING, POSTED, CLOSED = "charging", "posting", "posted", "closed"
MONTH_CLOSE_STEPS: tuple[str, ...] = (CHARGING, POSTING, POSTED, CLOSED)
NOT_REQUESTED = "not_requested"  # a month whose close nobody asked for yet (the reconciliation's word)


# A family's dispute of one debit: the provider answers first; what it does not give back in
# full goes to the payer's operator, who decides (also when the provider stays silent past its
# deadline). The family may withdraw what is still open; what was reversed stays reversed.
DisputeStatus = Literal["awaiting_provider", "awaiting_operator", "resolved", "withdrawn"]
AWAITING_PROVIDER, AWAITING_OPERATOR, RESOLVED, WITHDRAWN = (
    "awaiting_provider", "awaiting_operator", "resolved", "withdrawn")
OPEN_DISPUTE = (AWAITING_PROVIDER, AWAITING_OPERATOR)
ProviderAnswer = Literal["agree_full", "agree_part", "disagree"]
DISPUTE_TRANSITIONS: StatusMachine[Move] = StatusMachine({
    "agree_full": Move(frozenset({AWAITING_PROVIDER}), RESOLVED),
    "agree_part": Move(frozenset({AWAITING_PROVIDER}), AWAITING_OPERATOR),
    "disagree": Move(frozenset({AWAITING_PROVIDER}), AWAITING_OPERATOR),
    "decide": Move(frozenset(OPEN_DISPUTE), RESOLVED),
    "withdraw": Move(frozenset(OPEN_DISPUTE), WITHDRAWN),
})
# Every step of a dispute, as its history records it.
DisputeStep = Literal["opened", "agreed_in_full", "agreed_in_part", "disagreed", "decided", "withdrawn",
                      "reversal_confirmed"]
