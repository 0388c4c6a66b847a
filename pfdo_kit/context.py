"""Per-request and per-message context carried into logs and outgoing events."""
from __future__ import annotations

import uuid
from contextvars import ContextVar

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id: ContextVar[uuid.UUID | None] = ContextVar("correlation_id", default=None)
causation_id: ContextVar[uuid.UUID | None] = ContextVar("causation_id", default=None)


def parse_uuid(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
