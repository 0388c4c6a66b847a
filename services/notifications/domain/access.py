"""Who sees which notice: its recipient, and nobody else (not an admin either: a notice may
hold a person's money and children's affairs). Anyone else is told it does not exist."""
from __future__ import annotations

from pfdo_kit.auth import Principal


def sees(principal: Principal, recipient: str) -> bool:
    return principal.subject == recipient
