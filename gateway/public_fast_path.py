"""Anonymous reads of a public page the gateway holds fresh are answered before routing.

Most of the Navigator's traffic is parents browsing search pages without signing in; for
those the cache answer is ready, and FastAPI's routing, dependency solving and response
building cost the gateway more than everything else (~230 µs of CPU per cached search page).
Only GETs without an Authorization header come this way — a token must still be checked (a
bad one is a 401 even on a public page) — and only fresh answers: a stale one takes the
router's way, which serves it and starts its refresh. Inside the request-id and metrics
middlewares, so those see these requests as any other."""
from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.response_cache import ResponseCache, cache_address
from gateway.upstreams import returned_headers

PREFIX = "/api/v1/"


class ServeFreshPublicAnswers:
    def __init__(self, app: ASGIApp, cache: ResponseCache, route: object) -> None:
        self.app, self.cache, self.route = app, cache, route

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] == "http" and scope["method"] == "GET" and scope["path"].startswith(PREFIX)
                and not any(name == b"authorization" for name, _ in scope["headers"])
                and (answer := self.cache.fresh(cache_address(scope))) is not None):
            scope["route"] = self.route  # metrics label it as the proxy's route
            headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in returned_headers(answer).items()]
            headers.append((b"content-length", str(len(answer.content)).encode()))
            await send({"type": "http.response.start", "status": answer.status_code, "headers": headers})
            await send({"type": "http.response.body", "body": answer.content})
            return
        await self.app(scope, receive, send)
