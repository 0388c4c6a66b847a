"""One pooled HTTP client to the five services: the caller's token, request id and trace
context travel on (`pfdo_kit.peers.forwarded`), no answer → 502, too slow → 504.

aiohttp rather than httpx here: every request of the platform passes through this client, and
httpx's connection pool scans all its connections for each request — under 64 concurrent
searches the gateway spent most of its CPU there (bench/RESULTS.md)."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

import aiohttp
from fastapi import Request
from multidict import CIMultiDictProxy

from gateway.domain.routes import SERVICES
from pfdo_kit import peers

RETURNED_HEADERS = ("content-type", "content-disposition", "idempotent-replayed", "retry-after", "location",
                    "www-authenticate", "cache-control")


def returned_headers(upstream: "UpstreamResponse") -> dict[str, str]:
    """The upstream's headers a caller gets back."""
    return {k: v for k, v in upstream.headers.items() if k.lower() in RETURNED_HEADERS}


NAMES_RU = {"registry": "реестра поставщиков", "certificates": "сертификатов", "catalog": "каталога",
            "billing": "расчётов", "notifications": "уведомлений"}


@dataclass(frozen=True)
class UpstreamResponse:
    status_code: int
    headers: CIMultiDictProxy[str]
    content: bytes

    def json(self):
        return json.loads(self.content)


class Upstreams:
    def __init__(self, urls: dict[str, str], timeout_s: float, connections: int) -> None:
        self.urls = urls
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, connect=min(timeout_s, 3.0))
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_settings(cls, settings) -> "Upstreams":
        urls = {name: getattr(settings, f"{name}_url") for name in SERVICES}
        return cls(urls, settings.upstream_timeout_s, settings.upstream_connections)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:  # made inside the running loop, on first use
            self._session = aiohttp.ClientSession(
                timeout=self._timeout, auto_decompress=False,
                connector=aiohttp.TCPConnector(limit=self._connections, limit_per_host=self._connections))
        return self._session

    async def send(self, service: str, method: str, path: str, *, params=None, headers=None,
                   content: bytes | None = None) -> UpstreamResponse:
        try:
            async with self._client().request(method, self.urls[service] + path, params=params, data=content,
                                              headers=peers.forwarded(headers or {}),
                                              allow_redirects=False) as r:
                return UpstreamResponse(r.status, r.headers, await r.read())
        except asyncio.TimeoutError:
            raise peers.timed_out(service, NAMES_RU[service]) from None
        except (aiohttp.ClientError, OSError):
            raise peers.unavailable(service, NAMES_RU[service]) from None

    async def get_json(self, service: str, path: str, request: Request, params=None) -> dict | list:
        """GET on behalf of the caller (their token); a non-200 answer is an error here."""
        r = await self.send(service, "GET", path, params=params, headers=dict(request.headers))
        if r.status_code != 200:
            raise peers.upstream_error(service, NAMES_RU[service], r.status_code)
        return r.json()

    @property
    def closed(self) -> bool:
        """No pooled connection open: before the first request, or once closed."""
        return self._session is None or self._session.closed

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
