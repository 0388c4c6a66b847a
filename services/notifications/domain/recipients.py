"""Who receives a notice. A parent's: the account behind the child (the application's or
certificate's owner). A provider's: every active staff account bound to that provider. The
operators': every active operator account of the municipality. Addresses are the gateway's,
learnt from its account events."""
from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Contact:
    subject: str
    email: str
    role: str
    municipality: str | None
    provider_id: uuid.UUID | None
    active: bool


def provider_staff(contacts: list[Contact], provider_id: uuid.UUID) -> list[str]:
    return sorted(c.subject for c in contacts if c.active and c.role == "provider" and c.provider_id == provider_id)


def district_operators(contacts: list[Contact], municipality: str) -> list[str]:
    return sorted(c.subject for c in contacts if c.active and c.role == "operator" and c.municipality == municipality)


def regional_operators(contacts: list[Contact]) -> list[str]:
    return sorted(c.subject for c in contacts if c.active and c.role == "regional_operator")
