"""The login throttle, the password-reset throttle and the write rate limit, as moving windows
kept by the `limits` library in a store every gateway process of the installation shares
(`GATEWAY_RATE_LIMIT_STORAGE_URL`, Redis): two replicas × two workers enforce one limit, not
four. A key lives only as long as its window (the store expires it), so idle keys go by
themselves. Without the setting (development, one process) the windows live in the process's memory
(`process_windows`).

Should the shared store stop answering, each process counts in its own memory until it answers
again: logins keep working, limited per process, rather than failing or going unlimited."""
from __future__ import annotations

import logging
import time

from limits import RateLimitItemPerSecond
from limits.aio.storage import Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from limits.storage import storage_from_string
from prometheus_client import Counter

from gateway.process_windows import ProcessWindows

log = logging.getLogger(__name__)

THROTTLE_STORE_FAILURES = Counter("pfdo_gateway_rate_limit_store_failures_total",
                                  "Throttle calls the shared store did not answer (counted in process memory instead)")


def shared_storage(url: str | None) -> Storage | None:
    """The `limits` async storage for a URL as operators write it (redis://host:6379/0); None: none shared."""
    if not url:
        return None
    if not url.startswith("async+"):
        url = "async+" + url
    options = {"wrap_exceptions": True}
    if "redis" in url.split("://", 1)[0]:
        # A store that hangs must not hang logins: give up quickly and count in memory meanwhile.
        options |= {"implementation": "redispy", "socket_timeout": 0.5, "socket_connect_timeout": 0.5}
    return storage_from_string(url, **options)


class Limiter:
    """Moving windows over the shared store, falling back to process memory while it fails."""

    def __init__(self, storage: Storage | None, namespace: str) -> None:
        self.namespace = namespace
        self._local = ProcessWindows()
        self._shared = MovingWindowRateLimiter(storage) if storage is not None else self._local
        self._failing = False

    async def _call(self, method: str, *args):
        try:
            result = await getattr(self._shared, method)(*args)
        except StorageError as exc:
            THROTTLE_STORE_FAILURES.inc()
            if not self._failing:
                log.warning("rate-limit store unavailable, counting in this process", extra={"error": repr(exc)})
            self._failing = True
            return await getattr(self._local, method)(*args)
        self._failing = False
        return result

    async def test(self, item, *key: str) -> bool:
        return await self._call("test", item, self.namespace, *key)

    async def hit(self, item, *key: str) -> bool:
        return await self._call("hit", item, self.namespace, *key)

    async def clear(self, item, *key: str) -> None:
        await self._call("clear", item, self.namespace, *key)

    async def reset_in(self, item, *key: str) -> float:
        stats = await self._call("get_window_stats", item, self.namespace, *key)
        return max(0.0, stats.reset_time - time.time())


class Window:
    """At most `limit` hits per key in any `window_s` seconds."""

    def __init__(self, limiter: Limiter, name: str, limit: int, window_s: int) -> None:
        self._limiter, self._name = limiter, name
        self._item = RateLimitItemPerSecond(limit, window_s)

    async def blocked_for(self, key: str) -> float:
        """0 if `key` may go on; else seconds until it may."""
        if await self._limiter.test(self._item, self._name, key):
            return 0.0
        return max(1.0, await self._limiter.reset_in(self._item, self._name, key))

    async def take(self, key: str) -> float:
        """Count a hit if the window has room (0 returned); else count nothing and say how long to wait."""
        if await self._limiter.hit(self._item, self._name, key):
            return 0.0
        return max(1.0, await self._limiter.reset_in(self._item, self._name, key))

    async def hit(self, key: str) -> None:
        await self._limiter.hit(self._item, self._name, key)

    async def clear(self, key: str) -> None:
        await self._limiter.clear(self._item, self._name, key)


class LoginThrottle:
    """Failed logins counted per account and per client address; a success forgives the account
    (not the address: one address guessing many accounts stays throttled)."""

    def __init__(self, limiter: Limiter, per_account: int, per_address: int, window_s: int) -> None:
        self._by_account = Window(limiter, "login-account", per_account, window_s)
        self._by_address = Window(limiter, "login-address", per_address, window_s)

    async def blocked_for(self, account: str, address: str) -> float:
        """0 if this account may try from this address; else seconds until it may."""
        return max(await self._by_account.blocked_for(account), await self._by_address.blocked_for(address))

    async def failed(self, account: str, address: str) -> None:
        await self._by_account.hit(account)
        await self._by_address.hit(address)

    async def succeeded(self, account: str) -> None:
        await self._by_account.clear(account)


class ResetThrottle:
    """Password-reset requests counted per client address and per e-mail. Past the address's
    limit the caller is told to wait (429: that says nothing about any account); past the
    e-mail's limit the answer stays the same but no more mail goes, so nobody floods a mailbox
    and nobody learns whether the address is known."""

    def __init__(self, limiter: Limiter, per_address: int, per_email: int, window_s: int) -> None:
        self._by_address = Window(limiter, "reset-address", per_address, window_s)
        self._by_email = Window(limiter, "reset-email", per_email, window_s)

    async def address_blocked_for(self, address: str) -> float:
        return await self._by_address.blocked_for(address)

    async def admit(self, email: str, address: str) -> bool:
        """Count the request; True if a mail may still go to `email`."""
        await self._by_address.hit(address)
        return not await self._by_email.take(email)
