"""One pooled HTTP client to the five services: the caller's token, request id and trace
context travel on (`pfdo_kit.peers.forwarded`), no answer → 502, too slow → 504.

A pooled connection is reused only while idle for less than any service keeps it open
(`upstream_keep_alive_s` < `SERVER_KEEP_ALIVE_MIN_S` ≤ the services' `http_keep_alive_s`), so a
service never closes one under our request; a connection lost for another reason (a service
restarting) is retried once where repeating the request cannot apply a write twice (`_may_repeat`).

aiohttp rather than httpx here: every request of the platform passes through this client, and
httpx's connection pool scans all its connections for each request — under 64 concurrent
searches the gateway spent most of its CPU there (bench/RESULTS.md)."""
from __future__ import annotations

import json
from dataclasses import dataclass

import aiohttp
from fastapi import Request
from multidict import CIMultiDictProxy
from opentelemetry import propagate
from opentelemetry.instrumentation.aiohttp_client import create_trace_config

from gateway.domain.routes import SERVICES
from pfdo_kit import peers
from pfdo_kit.server_spans import recording
from pfdo_kit.settings import POOLED_KEEP_ALIVE_S, SERVER_KEEP_ALIVE_MIN_S

RETURNED_HEADERS = frozenset({
    "content-type", "content-disposition", "idempotent-replayed", "retry-after", "location", "www-authenticate",
    "cache-control", "etag",
    "x-document-sha256",  # a contract document's hash: the family signs what it read
})


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


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _may_repeat(method: str, forwarded: dict[str, str]) -> bool:
    """May a request whose connection was lost before any answer be sent once more?

    Nothing tells whether the lost request reached the service: aiohttp reports a connection closed
    before our request left and one closed after the service read it the same way
    (ServerDisconnectedError), and a service may have committed a write and died before answering.
    So the rule depends only on the request: a read (GET, HEAD, OPTIONS) changes nothing and is
    repeated; a write (POST, PUT, PATCH, DELETE — PUT and DELETE too: ours stage an event each time
    they run) is repeated only when it carries an Idempotency-Key, by which its caller declares it
    safe to repeat: a service that has the key answers the repeat with the first answer, and the
    caller itself would send the same request with the same key after our 502. A write without a key
    is never repeated here: the caller gets the 502 and decides."""
    return method in SAFE_METHODS or any(k.lower() == "idempotency-key" for k in forwarded)


class Upstreams:
    def __init__(self, urls: dict[str, str], timeout_s: float, connections: int,
                 keep_alive_s: float = POOLED_KEEP_ALIVE_S) -> None:
        if not 0 < keep_alive_s < SERVER_KEEP_ALIVE_MIN_S:
            raise ValueError(f"an idle upstream connection must be dropped before a service closes it: "
                             f"keep_alive_s must be below {SERVER_KEEP_ALIVE_MIN_S}, not {keep_alive_s}")
        self.urls = urls
        self._timeout = aiohttp.ClientTimeout(total=timeout_s, connect=min(timeout_s, 3.0))
        self._connections = connections
        self._keep_alive_s = keep_alive_s
        self._session: aiohttp.ClientSession | None = None  # with a client span per call
        self._untraced: aiohttp.ClientSession | None = None  # while no span is recorded (server_spans.recording)
        self._fresh: aiohttp.ClientSession | None = None

    @classmethod
    def from_settings(cls, settings) -> "Upstreams":
        urls = {name: getattr(settings, f"{name}_url") for name in SERVICES}
        return cls(urls, settings.upstream_timeout_s, settings.upstream_connections, settings.upstream_keep_alive_s)

    def _client(self) -> aiohttp.ClientSession:
        """The pool for this call. While no span is recorded, OpenTelemetry's client hooks only write the
        current trace context into the request's headers, at ~60 µs of CPU per call in aiohttp's signals:
        then a pool without them is used and `send` writes the context itself."""
        if not recording():
            if self._untraced is None:  # made inside the running loop, on first use
                self._untraced = self._new_session(self._pooled(), traced=False)
            return self._untraced
        if self._session is None:
            self._session = self._new_session(self._pooled())
        return self._session

    def _pooled(self) -> aiohttp.TCPConnector:
        return aiohttp.TCPConnector(limit=self._connections, limit_per_host=self._connections,
                                    keepalive_timeout=self._keep_alive_s)

    def _fresh_client(self) -> aiohttp.ClientSession:
        """For a repeat: a new connection each time, never one of the pool (after a restart all of
        them may be dead)."""
        if self._fresh is None:
            self._fresh = self._new_session(aiohttp.TCPConnector(limit=self._connections, force_close=True))
        return self._fresh

    def _new_session(self, connector: aiohttp.TCPConnector, traced: bool = True) -> aiohttp.ClientSession:
        # trace_configs: a client span per call, whose traceparent the service continues (pfdo_kit/tracing.py).
        session = aiohttp.ClientSession(timeout=self._timeout, auto_decompress=False, connector=connector,
                                        trace_configs=[create_trace_config()] if traced else None)
        # aiohttp repeats GET, PUT and DELETE itself after a lost connection, a PUT or DELETE without
        # a key too; the one rule for repeating is `_may_repeat`, applied in `send`.
        session._retry_connection = False
        return session

    async def send(self, service: str, method: str, path: str, *, params=None, headers=None,
                   content: bytes | None = None) -> UpstreamResponse:
        forwarded = peers.forwarded(headers or {})
        client, repeatable = self._client(), _may_repeat(method, forwarded)
        if client is self._untraced:
            propagate.inject(forwarded)  # what the client hooks write when spans are no-ops
        while True:
            try:
                # Awaited, the request gives the response once its status and headers have arrived.
                r = await client.request(method, self.urls[service] + path, params=params, data=content,
                                         headers=forwarded, allow_redirects=False)
            except TimeoutError:
                raise peers.timed_out(service, NAMES_RU[service]) from None
            except aiohttp.ClientConnectorError:  # no connection made: the service is down, nothing was sent
                raise peers.unavailable(service, NAMES_RU[service]) from None
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                # The connection was lost before any answer: a pooled one the service had closed (it
                # restarted), or the service died. Once more, on a new connection, if repeatable.
                if repeatable:
                    client, repeatable = self._fresh_client(), False
                    continue
                raise peers.unavailable(service, NAMES_RU[service]) from None
            except (aiohttp.ClientError, OSError):
                raise peers.unavailable(service, NAMES_RU[service]) from None
            try:
                async with r:
                    return UpstreamResponse(r.status, r.headers, await r.read())
            except TimeoutError:
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
        return all(session is None or session.closed for session in (self._session, self._untraced))

    async def close(self) -> None:
        for session in (self._session, self._untraced, self._fresh):
            if session is not None:
                await session.close()
