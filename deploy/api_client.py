"""A small client of the platform's public API (through the gateway), for the operator CLI and
the demo district: log in, send, and stop with the problem's Russian title on an error."""
from __future__ import annotations

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
        headers = {"Authorization": f"Bearer {self.token}"} if auth and self.token else {}
        r = await self.http.request(method, path, json=json, params=params, headers=headers)
        if r.status_code not in ok:
            try:
                problem = r.json()
            except ValueError:
                problem = {"title": r.text[:200]}
            raise ApiError(r.status_code, problem)
        return r.json() if r.content else None

    async def close(self) -> None:
        await self.http.aclose()
