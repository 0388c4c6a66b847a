"""The statuses of an application and of a program, and the only moves between them.

An application: the family applies (submitted); the provider accepts it, which takes a seat
(accepted) or, with the group full, puts it on the waitlist (waitlisted). A seat freed later is
offered to the first family waiting (offered), who confirms it (accepted). Certificates reserve
the money (awaiting_signature), the signed contract enrolls the child (enrolled). It ends
rejected, cancelled or expired."""
from __future__ import annotations

from typing import Literal, get_args

from pfdo_kit.transitions import Move, StatusMachine

# Every status an application can have, as the API declares it (a wrong filter value is a 422).
ApplicationStatus = Literal["submitted", "waitlisted", "offered", "accepted", "awaiting_signature", "enrolled",
                            "rejected", "cancelled", "expired"]
APPLICATION_STATUSES: tuple[str, ...] = get_args(ApplicationStatus)

SUBMITTED, WAITLISTED, OFFERED, ACCEPTED = "submitted", "waitlisted", "offered", "accepted"
AWAITING_SIGNATURE, ENROLLED = "awaiting_signature", "enrolled"
REJECTED, CANCELLED, EXPIRED = "rejected", "cancelled", "expired"

# An application in one of these holds a seat of its group (Application.holds_seat).
HOLDING_SEAT = frozenset({OFFERED, ACCEPTED, AWAITING_SIGNATURE, ENROLLED})


APPLICATION_MOVES: StatusMachine[Move] = StatusMachine({
    "accept": Move(frozenset({SUBMITTED}), ACCEPTED),
    "waitlist": Move(frozenset({SUBMITTED}), WAITLISTED),  # accepted into a full group
    "reject": Move(frozenset({SUBMITTED, WAITLISTED}), REJECTED),
    "cancel": Move(frozenset({SUBMITTED, WAITLISTED, OFFERED, ACCEPTED, AWAITING_SIGNATURE}), CANCELLED),
    "offer": Move(frozenset({WAITLISTED}), OFFERED),  # a freed seat passes to the first family waiting
    "confirm": Move(frozenset({OFFERED}), ACCEPTED),
    "expire_offer": Move(frozenset({OFFERED}), EXPIRED),
    "expire_undecided": Move(frozenset({SUBMITTED}), EXPIRED),
    "reserve_funds": Move(frozenset({ACCEPTED}), AWAITING_SIGNATURE),
    "refuse_funds": Move(frozenset({ACCEPTED}), REJECTED),
    "sign": Move(frozenset({ACCEPTED, AWAITING_SIGNATURE}), ENROLLED),
    "terminate": Move(HOLDING_SEAT, CANCELLED),
})

ProgramStatus = Literal["draft", "published", "unpublished"]
PROGRAM_STATUSES: tuple[str, ...] = get_args(ProgramStatus)
DRAFT, PUBLISHED, UNPUBLISHED = PROGRAM_STATUSES

# `unpublished` is only the provider's own choice: a suspended provider's programs keep their status and
# leave search by the provider's status, so a reinstatement returns exactly the programs still published.
PROGRAM_MOVES: StatusMachine[Move] = StatusMachine({
    "publish": Move(frozenset({DRAFT, PUBLISHED, UNPUBLISHED}), PUBLISHED),
    "unpublish": Move(frozenset({PUBLISHED, UNPUBLISHED}), UNPUBLISHED),
})
# Modules (hours, price) change only before families could apply: contracts are priced by them.
MODULES_EDITABLE = frozenset({DRAFT})

# The provider's status as the registry announces it: only an approved provider is listed and
# takes applications; a rejected or excluded one writes no programs.
PROVIDER_APPROVED = "approved"
PROVIDER_BARRED = frozenset({"rejected", "excluded"})
CERTIFICATE_ACTIVE = "active"
# Issued, its activation not seen yet: the catalog's copy may simply be behind the certificates
# service, which decides at reservation.
CERTIFICATE_PENDING = "pending_verification"


def is_listed(program_status: str, provider_status: str) -> bool:
    """Anyone may find and see a published program of an approved provider."""
    return program_status == PUBLISHED and provider_status == PROVIDER_APPROVED
