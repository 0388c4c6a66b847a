"""The gateway's public API, as the Navigator calls it: one pooled client, the caller's bearer token,
problem+json answers raised as `ApiProblem`."""
from __future__ import annotations

from typing import Any

import httpx


class ApiProblem(Exception):
    """The gateway refused or failed: `status` and the problem document (Russian `title`, `field`, `errors`)."""

    def __init__(self, status: int, problem: dict[str, Any]) -> None:
        super().__init__(f"{status} {problem.get('title')}")
        self.status, self.problem = status, problem

    @property
    def title(self) -> str:
        return self.problem.get("title") or "Ошибка запроса"

    def field_errors(self) -> dict[str, str]:
        """Field → its Russian message: each of `errors`, else the title beside `field`."""
        found = {e["field"]: e["message"] for e in self.problem.get("errors") or [] if e.get("field")}
        if not found and self.problem.get("field"):
            found[self.problem["field"]] = self.problem.get("detail") or self.title
        return found


UNAVAILABLE = {"title": "Сервис временно недоступен, попробуйте через минуту"}


class Gateway:
    def __init__(self, base_url: str, timeout_s: float, connections: int) -> None:
        self.http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/api/v1", timeout=timeout_s,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))

    async def call(self, method: str, path: str, *, token: str | None = None, json: Any = None,
                   params: dict[str, Any] | None = None, idempotency_key: str | None = None,
                   client_ip: str | None = None) -> Any:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if client_ip:
            headers["X-Forwarded-For"] = client_ip
        if params:
            params = {k: v for k, v in params.items() if v is not None and v != ""}
        try:
            answer = await self.http.request(method, path, json=json, params=params, headers=headers)
        except httpx.HTTPError:
            raise ApiProblem(503, UNAVAILABLE) from None
        if answer.status_code >= 400:
            try:
                problem = answer.json()
            except ValueError:
                problem = {}
            if answer.status_code >= 500 or not isinstance(problem, dict) or "title" not in problem:
                problem = UNAVAILABLE if answer.status_code >= 500 else {"title": "Ошибка запроса"}
            raise ApiProblem(answer.status_code, problem)
        return answer.json() if answer.content else None

    async def document(self, path: str, *, token: str, client_ip: str | None = None,
                       params: dict[str, Any] | None = None) -> httpx.Response:
        """A file the API answers (a contract's PDF, an export): the answer itself, its bytes and headers."""
        headers = {"Authorization": f"Bearer {token}"} | ({"X-Forwarded-For": client_ip} if client_ip else {})
        if params:
            params = {k: v for k, v in params.items() if v is not None and v != ""}
        try:
            answer = await self.http.get(path, headers=headers, params=params)
        except httpx.HTTPError:
            raise ApiProblem(503, UNAVAILABLE) from None
        if answer.status_code >= 400:
            try:
                problem = answer.json()
            except ValueError:
                problem = {}
            raise ApiProblem(answer.status_code, problem if answer.status_code < 500 and "title" in problem
                             else UNAVAILABLE)
        return answer

    async def close(self) -> None:
        await self.http.aclose()
