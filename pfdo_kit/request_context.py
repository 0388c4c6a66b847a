"""A request id and a correlation id for every request: taken from the caller's X-Request-Id and
X-Correlation-Id when given, made up otherwise; set for the request's logs and events, and returned in
the answer's headers (pfdo_kit/edge.py does it for every request)."""
from __future__ import annotations

import uuid
from contextvars import Token

from pfdo_kit import context

_REQUEST_ID, _CORRELATION_ID = b"x-request-id", b"x-correlation-id"


def request_ids(headers: list[tuple[bytes, bytes]]) -> tuple[str, uuid.UUID]:
    """(request id, correlation id) from an ASGI scope's headers."""
    rid = correlation = None
    for name, value in headers:
        name = name.lower()
        if name == _REQUEST_ID:
            rid = value.decode("latin-1")[:128]
        elif name == _CORRELATION_ID:
            correlation = context.parse_uuid(value.decode("latin-1"))
    return rid or uuid.uuid4().hex, correlation or uuid.uuid4()


def enter(rid: str, correlation: uuid.UUID) -> tuple[Token, Token]:
    return context.request_id.set(rid), context.correlation_id.set(correlation)


def leave(tokens: tuple[Token, Token]) -> None:
    context.request_id.reset(tokens[0])
    context.correlation_id.reset(tokens[1])


def id_headers(rid: str, correlation: uuid.UUID) -> tuple[tuple[bytes, bytes], tuple[bytes, bytes]]:
    return (_REQUEST_ID, rid.encode("latin-1")), (_CORRELATION_ID, str(correlation).encode())
