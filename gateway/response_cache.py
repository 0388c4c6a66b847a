"""A short-lived shared cache of public answers (RFC 9111 "microcaching"): a GET whose answer
the owning service marked `Cache-Control: public, max-age=N` is served from memory for N
seconds, and concurrent misses of one address by one caller wait for a single upstream call.
The catalog marks its search pages so; nothing personal is ever marked public.

An answer also marked `stale-while-revalidate=M` (RFC 5861) is served for M seconds more
after it went stale, while one call in the background fetches its successor: a popular page
never makes anyone wait for its refresh (before, every expiry queued that page's callers
behind the catalog: the search's p99 was set by those waits).

Only identical requests of the same caller share an in-flight call: until the answer arrives
nobody knows whether it is public, and a provider's list must never reach another provider."""
from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable

from cachetools import TLRUCache

from gateway.upstreams import UpstreamResponse

log = logging.getLogger(__name__)

MAX_AGE = re.compile(r"(?:^|,)\s*max-age=(\d+)")
STALE = re.compile(r"(?:^|,)\s*stale-while-revalidate=(\d+)")


def public_max_age(cache_control: str | None) -> int:
    """Seconds a shared cache may keep the answer; 0 when it may not."""
    if not cache_control:
        return 0
    directives = cache_control.lower()
    if "public" not in directives or "no-store" in directives or "private" in directives:
        return 0
    found = MAX_AGE.search(directives)
    return int(found.group(1)) if found else 0


def stale_while_revalidate(cache_control: str | None) -> int:
    """Seconds a stale public answer may still be served while it is being refreshed."""
    found = STALE.search(cache_control.lower()) if public_max_age(cache_control) else None
    return int(found.group(1)) if found else 0


def cache_address(scope: dict) -> str:
    """What a proxied GET is kept under: its path below /api/v1/ and its query, from the ASGI scope
    (the router and the fast path must agree on it)."""
    return f"{scope['path'].removeprefix('/api/v1/')}?{scope.get('query_string', b'').decode('latin-1')}"


class ResponseCache:
    def __init__(self, max_entries: int = 5_000, clock: Callable[[], float] = time.monotonic) -> None:
        # An entry: (answer, fresh until, kept until); it leaves the cache when it may no longer be served.
        self._clock = clock
        self._entries: TLRUCache = TLRUCache(max_entries, ttu=lambda _k, entry, _now: entry[2], timer=clock)
        self._pending: dict[tuple[str, str], asyncio.Future] = {}
        self._refreshing: dict[str, asyncio.Task] = {}

    async def get_or_fetch(self, address: str, caller: str,
                           fetch: Callable[[], Awaitable[UpstreamResponse]]) -> UpstreamResponse:
        """`address`: path and query; `caller`: what tells callers apart (their Authorization)."""
        if (entry := self._entries.get(address)) is not None:
            if self._clock() >= entry[1] and address not in self._refreshing:
                self._refreshing[address] = asyncio.create_task(self._refresh(address, fetch))
            return entry[0]
        in_flight = (address, caller)
        if (waiting := self._pending.get(in_flight)) is not None:
            return await asyncio.shield(waiting)
        future = asyncio.get_running_loop().create_future()
        self._pending[in_flight] = future
        try:
            response = await fetch()
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody may be waiting
            raise
        finally:
            del self._pending[in_flight]
        future.set_result(response)
        self._keep(address, response)
        return response

    def fresh(self, address: str) -> UpstreamResponse | None:
        """The kept answer while it is fresh; None when absent or stale (stale ones go the long way)."""
        entry = self._entries.get(address)
        return entry[0] if entry is not None and self._clock() < entry[1] else None

    def _keep(self, address: str, response: UpstreamResponse) -> None:
        cache_control = response.headers.get("cache-control")
        if self._entries.maxsize and response.status_code == 200 and (age := public_max_age(cache_control)):
            fresh_until = self._clock() + age
            self._entries[address] = (response, fresh_until, fresh_until + stale_while_revalidate(cache_control))

    async def _refresh(self, address: str, fetch: Callable[[], Awaitable[UpstreamResponse]]) -> None:
        try:
            response = await fetch()
            if public_max_age(response.headers.get("cache-control")):
                self._keep(address, response)
            else:  # no longer public (or an error): nobody gets the stale copy any more
                self._entries.pop(address, None)
        except Exception as exc:  # the stale copy stays until its time is up; the next caller tries again
            log.warning("refreshing a cached answer failed", extra={"address": address[:200], "error": repr(exc)})
        finally:
            del self._refreshing[address]
