"""A stand-in gateway for page tests (httpx's MockTransport): answers from a table of routes, records every
call, and logs a visitor in as any role. Pure unit tests of pages only; the browser tests use the real one."""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient

from navigator.app import create_app
from navigator.settings import NavigatorSettings

Answer = tuple[int, Any] | Callable[[dict, dict], tuple[int, Any]]
NOT_FOUND = (404, {"type": "urn:pfdo:problem:not-found", "status": 404, "title": "Объект не найден"})


def page_of(items: list, page: int = 1, page_size: int = 50) -> dict:
    return {"items": items, "total": len(items), "page": page, "page_size": page_size}


class StandInGateway:
    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], Answer] = {}
        self.calls: list[tuple[str, str, dict, dict]] = []
        self.account: dict[str, Any] = {}

    def on(self, method: str, path: str, answer: Answer) -> StandInGateway:
        self.routes[(method, path)] = answer
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        try:
            body = json.loads(request.content) if request.content else {}
        except ValueError:
            body = {}
        params = dict(request.url.params)
        self.calls.append((request.method, path, body, params))
        if path == "/auth/token":
            return httpx.Response(200, json={"access_token": "ACCESS", "refresh_token": "REFRESH",
                                             "expires_in": 900, "token_type": "bearer"})
        if path == "/me" and request.method == "GET":
            return httpx.Response(200, json=self.account)
        answer = self.routes.get((request.method, path), NOT_FOUND)
        status, content = answer(body, params) if callable(answer) else answer
        if isinstance(content, httpx.Response):  # an answer with its own headers (a file's name)
            return content
        if isinstance(content, bytes):
            return httpx.Response(status, content=content)
        return httpx.Response(status, json=content)

    def posted(self, path: str) -> list[dict]:
        return [body for method, p, body, _ in self.calls if method == "POST" and p == path]


def site_with(gateway: StandInGateway) -> tuple[TestClient, Any]:
    """A Navigator whose gateway is `gateway`; use as a context manager (`with site_with(g)[0] as client`)."""
    app = create_app(NavigatorSettings(session_secret="x" * 40, gateway_url="http://gateway.test"))
    client = TestClient(app, base_url="https://navigator.test", follow_redirects=False)
    return client, app


def plug(app: Any, gateway: StandInGateway) -> None:
    """After the client started the app: its gateway client talks to the stand-in."""
    app.state.gateway.http = httpx.AsyncClient(base_url="http://gateway.test/api/v1",
                                               transport=httpx.MockTransport(gateway))


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def log_in(client: TestClient, gateway: StandInGateway, role: str, *, municipality: str | None = None,
           provider_id: str | None = None, name: str | None = None) -> httpx.Response:
    """Logs the client in as `role`; answers the login's redirect (to the role's cabinet)."""
    gateway.account = {"id": "00000000-0000-0000-0000-0000000000a1", "email": f"{role}@pfdo.test", "role": role,
                       "municipality": municipality, "provider_id": provider_id, "full_name": name}
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"email": f"{role}@pfdo.test", "password": "any-password-1", "csrf": token})


def visited_as(gateway: StandInGateway, role: str, path: str) -> tuple[httpx.Response, list[tuple]]:
    """`path` opened by a visitor just logged in as `role` (an operator of chegem): the answer, and the API
    calls the page itself made (the login's own calls left out)."""
    client, app = site_with(gateway)
    with client:
        plug(app, gateway)
        log_in(client, gateway, role, municipality="chegem" if role == "operator" else None)
        gateway.calls.clear()
        answer = client.get(path)
    return answer, [c for c in gateway.calls if c[1] not in ("/auth/token", "/me")]
