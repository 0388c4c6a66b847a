"""Sliding-window counters for the login throttle, the password-reset throttle and the write
rate limit (per process: with several gateway replicas each enforces its own share)."""
from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable


class Window:
    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window_s, self._clock = limit, window_s, clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def _fresh(self, key: str) -> deque[float]:
        hits, horizon = self._hits[key], self._clock() - self.window_s
        while hits and hits[0] <= horizon:
            hits.popleft()
        if not hits:
            self._hits.pop(key, None)
            return self._hits[key]
        return hits

    def blocked_for(self, key: str) -> float:
        """0 if `key` may go on; else seconds until it may."""
        hits = self._fresh(key)
        if len(hits) < self.limit:
            return 0.0
        return max(0.0, hits[0] + self.window_s - self._clock())

    def hit(self, key: str) -> None:
        self._fresh(key).append(self._clock())

    def clear(self, key: str) -> None:
        self._hits.pop(key, None)


class LoginThrottle:
    """Failed logins counted per account and per client address; a success forgives the account
    (not the address: one address guessing many accounts stays throttled)."""

    def __init__(self, per_account: int, per_address: int, window_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._by_account = Window(per_account, window_s, clock)
        self._by_address = Window(per_address, window_s, clock)

    def blocked_for(self, account: str, address: str) -> float:
        """0 if this account may try from this address; else seconds until it may."""
        return max(self._by_account.blocked_for(account), self._by_address.blocked_for(address))

    def failed(self, account: str, address: str) -> None:
        self._by_account.hit(account)
        self._by_address.hit(address)

    def succeeded(self, account: str) -> None:
        self._by_account.clear(account)


class ResetThrottle:
    """Password-reset requests counted per client address and per e-mail. Past the address's
    limit the caller is told to wait (429: that says nothing about any account); past the
    e-mail's limit the answer stays the same but no more mail goes, so nobody floods a mailbox
    and nobody learns whether the address is known."""

    def __init__(self, per_address: int, per_email: int, window_s: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._by_address = Window(per_address, window_s, clock)
        self._by_email = Window(per_email, window_s, clock)

    def address_blocked_for(self, address: str) -> float:
        return self._by_address.blocked_for(address)

    def admit(self, email: str, address: str) -> bool:
        """Count the request; True if a mail may still go to `email`."""
        self._by_address.hit(address)
        if self._by_email.blocked_for(email):
            return False
        self._by_email.hit(email)
        return True
