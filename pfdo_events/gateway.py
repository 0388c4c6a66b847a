"""Events published by the gateway: the accounts people log in with.

Only what another service needs to reach a person: notifications learns whom to mail from
these (the address, and whose provider or municipality the account serves), never from the
gateway's database. No password hash, no phone.
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pfdo_events.envelope import Event

AccountRole = Literal["parent", "provider", "operator", "regional_operator", "admin"]


class _AccountEvent(Event):
    subject: str  # the account's id as access tokens name it (`sub`), and as `owner` fields do
    email: str
    role: AccountRole
    municipality: str | None = None
    provider_id: uuid.UUID | None = None  # provider staff: bound when the registry approves the provider
    full_name: str | None = None
    active: bool = True  # False: blocked, may not log in


class AccountRegistered(_AccountEvent):
    """An account was made: a parent or provider staff registered, or an admin made staff."""

    event_type = "gateway.account.registered"
    event_version = 1


class AccountUpdated(_AccountEvent):
    """Anything above changed (staff bound to their provider, address changed, blocked or
    unblocked): the whole new state, so the newest event wins."""

    event_type = "gateway.account.updated"
    event_version = 1


ACCOUNT_EVENTS: tuple[type[_AccountEvent], ...] = (AccountRegistered, AccountUpdated)


class PasswordResetRequested(Event):
    """Someone asked to reset the account's password: the mail carries a link with a single-use
    token that stops working at `expires_at`. The gateway keeps only the token's hash."""

    event_type = "gateway.account.password_reset_requested"
    event_version = 1

    subject: str
    email: str
    token: str
    expires_at: datetime
