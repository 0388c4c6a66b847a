"""The one ASGI middleware every process puts around its app, outermost, for three jobs:

- the internals (/metrics, /health, /docs…) refused to outside callers (pfdo_kit/internal.py), judged by
  the connection's own peer before any forwarded address is believed;
- a request id and a correlation id (pfdo_kit/request_context.py);
- the request counted in the HTTP metrics (pfdo_kit/metrics.py).

One layer rather than three stacked ones: one call and one send wrapper per request instead of three
(each answer's messages passed through every wrapper in turn)."""
from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pfdo_kit import internal, request_context
from pfdo_kit.auth import TokenVerifier
from pfdo_kit.metrics import count_request


class EdgeMiddleware:
    def __init__(self, app: ASGIApp, networks: list[str], verifier: TokenVerifier) -> None:
        self.app, self.networks, self.verifier = app, list(networks), verifier

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if internal.refused(scope, self.networks, self.verifier):
            await internal.refuse(scope, receive, send)
            return
        started = time.perf_counter()
        rid, correlation = request_context.request_ids(scope["headers"])
        ids = request_context.enter(rid, correlation)
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).extend(request_context.id_headers(rid, correlation))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            request_context.leave(ids)
            count_request(scope, status, time.perf_counter() - started)
