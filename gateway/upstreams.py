"""One pooled HTTP client to the four services (calls through `pfdo_kit.peers`: request id and
trace context forwarded, no answer → 502, too slow → 504)."""
from __future__ import annotations

import httpx
from fastapi import Request

from gateway.domain.routes import SERVICES
from pfdo_kit import peers

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
        return await peers.call(self.client, method, self.urls[service] + path, service=service,
                                service_ru=NAMES_RU[service], headers=headers or {}, params=params, content=content)

    async def get_json(self, service: str, path: str, request: Request, params=None) -> dict | list:
        """GET on behalf of the caller (their token); a non-200 answer is an error here."""
        r = await self.send(service, "GET", path, params=params, headers=dict(request.headers))
        if r.status_code != 200:
            raise peers.upstream_error(service, NAMES_RU[service], r.status_code)
        return r.json()

    async def close(self) -> None:
        await self.client.aclose()
