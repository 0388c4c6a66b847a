"""A small client of the platform's public API (through the gateway), for the operator CLI and
the demo region: log in, send, and stop with the problem's Russian title on an error."""
from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx


class ApiError(Exception):
    def __init__(self, status: int, problem: dict) -> None:
        super().__init__(f"{status}: {problem.get('title')} ({problem.get('field') or ''})")
        self.status, self.problem = status, problem


class Api:
    def __init__(self, base_url: str, token: str | None = None, timeout_s: float = 30) -> None:
        self.http = httpx.AsyncClient(base_url=base_url.rstrip("/") + "/api/v1", timeout=timeout_s)
        self.token = token

    async def login(self, email: str, password: str) -> "Api":
        body = await self.call("POST", "/auth/token", json={"email": email, "password": password}, auth=False)
        return Api(str(self.http.base_url).rstrip("/").removesuffix("/api/v1"), body["access_token"])

    async def call(self, method: str, path: str, *, json: Any = None, params: Any = None, auth: bool = True,
                   ok: tuple[int, ...] = (200, 201, 202)) -> Any:
        r = await self._send(method, path, json=json, params=params, auth=auth, ok=ok)
        return r.json() if r.content else None

    async def run(self, method: str, path: str, *, json: Any = None, poll_s: float = 0.5,
                  timeout_s: float = 600) -> dict:
        """Start a long run (answered 202 with the run's Location) and follow it to its end:
        the run as it finished (`status` done or failed, `result`)."""
        started = await self._send(method, path, json=json, ok=(202,))
        location = started.headers["location"].removeprefix("/api/v1")
        deadline = time.monotonic() + timeout_s
        while (run := await self.call("GET", location))["status"] not in ("done", "failed"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method} {path}: the run is still {run['status']} after {timeout_s} s")
            await asyncio.sleep(poll_s)
        return run

    async def _send(self, method: str, path: str, *, json: Any = None, params: Any = None, auth: bool = True,
                    ok: tuple[int, ...]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        r = await self.http.request(method, path, json=json, params=params, headers=headers)
        if r.status_code not in ok:
            try:
                problem = r.json()
            except ValueError:
                problem = {"title": r.text[:200]}
            raise ApiError(r.status_code, problem)
        return r

    async def close(self) -> None:
        await self.http.aclose()
