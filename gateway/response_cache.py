"""A short-lived shared cache of public answers (RFC 9111 "microcaching"): a GET whose answer
the owning service marked `Cache-Control: public, max-age=N` is served from memory for N
seconds, and concurrent misses of one address by one caller wait for a single upstream call.
The catalog marks its search pages so; nothing personal is ever marked public.

Only identical requests of the same caller share an in-flight call: until the answer arrives
nobody knows whether it is public, and a provider's list must never reach another provider."""
from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable

from cachetools import TLRUCache

from gateway.upstreams import UpstreamResponse

MAX_AGE = re.compile(r"(?:^|,)\s*max-age=(\d+)")


def public_max_age(cache_control: str | None) -> int:
    """Seconds a shared cache may keep the answer; 0 when it may not."""
    if not cache_control:
        return 0
    directives = cache_control.lower()
    if "public" not in directives or "no-store" in directives or "private" in directives:
        return 0
    found = MAX_AGE.search(directives)
    return int(found.group(1)) if found else 0


class ResponseCache:
    def __init__(self, max_entries: int = 5_000) -> None:
        self._entries: TLRUCache = TLRUCache(max_entries, ttu=lambda _k, entry, now: now + entry[1],
                                             timer=time.monotonic)
        self._pending: dict[tuple[str, str], asyncio.Future] = {}

    async def get_or_fetch(self, address: str, caller: str,
                           fetch: Callable[[], Awaitable[UpstreamResponse]]) -> UpstreamResponse:
        """`address`: path and query; `caller`: what tells callers apart (their Authorization)."""
        if (entry := self._entries.get(address)) is not None:
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
        age = public_max_age(response.headers.get("cache-control"))
        if self._entries.maxsize and response.status_code == 200 and age:
            self._entries[address] = (response, age)
        return response
