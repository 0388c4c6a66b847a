"""ASGI middleware: a request id and a correlation id for every request."""
from __future__ import annotations

import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pfdo_kit import context


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        rid = headers.get("x-request-id", "")[:128] or uuid.uuid4().hex
        correlation = context.parse_uuid(headers.get("x-correlation-id")) or uuid.uuid4()
        rid_token = context.request_id.set(rid)
        corr_token = context.correlation_id.set(correlation)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"].append((b"x-request-id", rid.encode("latin-1")))
                message["headers"].append((b"x-correlation-id", str(correlation).encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            context.request_id.reset(rid_token)
            context.correlation_id.reset(corr_token)
