"""One pooled HTTP client to the four services; upstream trouble becomes a problem document:
no answer → 502, too slow → 504. The request id and trace context travel on."""
from __future__ import annotations

import httpx
from fastapi import Request

from gateway.domain.routes import SERVICES
from pfdo_kit.context import request_id
from pfdo_kit.errors import ProblemError

FORWARDED_REQUEST_HEADERS = ("authorization", "content-type", "accept", "idempotency-key", "traceparent",
                             "tracestate", "accept-language")
RETURNED_HEADERS = ("content-type", "content-disposition", "idempotent-replayed", "retry-after", "location",
                    "www-authenticate")
NAMES_RU = {"registry": "реестра поставщиков", "certificates": "сертификатов", "catalog": "каталога",
            "billing": "расчётов"}


class Upstreams:
    def __init__(self, urls: dict[str, str], timeout_s: float, connections: int,
                 mounts: dict[str, httpx.AsyncBaseTransport] | None = None) -> None:
        self.urls = urls
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 3.0)), mounts=mounts,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections))

    @classmethod
    def from_settings(cls, settings) -> "Upstreams":
        urls = {name: getattr(settings, f"{name}_url") for name in SERVICES}
        return cls(urls, settings.upstream_timeout_s, settings.upstream_connections)

    async def send(self, service: str, method: str, path: str, *, params=None, headers=None,
                   content: bytes | None = None) -> httpx.Response:
        out = {k: v for k, v in (headers or {}).items() if k.lower() in FORWARDED_REQUEST_HEADERS}
        if (rid := request_id.get()) is not None:
            out["x-request-id"] = rid
        try:
            return await self.client.request(method, self.urls[service] + path, params=params, headers=out,
                                             content=content)
        except httpx.TimeoutException:
            raise ProblemError(504, "upstream-timeout", f"Сервис {NAMES_RU[service]} не ответил вовремя",
                               detail=f"{service} timed out") from None
        except httpx.HTTPError:
            raise ProblemError(502, "upstream-unavailable", f"Сервис {NAMES_RU[service]} недоступен",
                               detail=f"{service} did not answer") from None

    async def get_json(self, service: str, path: str, request: Request, params=None) -> dict | list:
        """GET on behalf of the caller (their token); a non-200 answer is an error here."""
        r = await self.send(service, "GET", path, params=params, headers=dict(request.headers))
        if r.status_code != 200:
            raise ProblemError(502, "upstream-error", f"Сервис {NAMES_RU[service]} ответил ошибкой",
                               detail=f"{service} answered {r.status_code}")
        return r.json()

    async def close(self) -> None:
        await self.client.aclose()
