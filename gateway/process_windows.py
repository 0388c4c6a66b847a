"""Moving windows in this process's memory: the throttles' store when no shared one is configured, and
their fallback while the shared one does not answer. Each key keeps the times of its hits, trimmed
when the key is used; keys idle past their window are dropped by a sweep at most once a minute, done
in the call that comes due. No background task and no thread: the `limits` library's own memory
store swept every key through a worker thread after nearly every hit, which during an enrollment
rush (a key per writing account) cost the gateway a fifth of its CPU."""
from __future__ import annotations

import time
from collections import deque

from limits import RateLimitItem, WindowStats

SWEEP_EVERY_S = 60.0


class ProcessWindows:
    """The calls of `limits`' MovingWindowRateLimiter that the throttles use, kept in a dict."""

    def __init__(self, now=time.time) -> None:
        self._now = now
        self._hits: dict[str, tuple[float, deque[float]]] = {}  # key → (window seconds, hit times, oldest first)
        self._next_sweep = 0.0

    def _recent(self, item: RateLimitItem, keys: tuple[str, ...], now: float) -> deque[float] | None:
        self._sweep(now)
        found = self._hits.get(item.key_for(*keys))
        if found is None:
            return None
        window, hits = found
        while hits and hits[0] <= now - window:
            hits.popleft()
        return hits

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + SWEEP_EVERY_S
        for key in [k for k, (window, hits) in self._hits.items() if not hits or hits[-1] <= now - window]:
            del self._hits[key]

    async def hit(self, item: RateLimitItem, *keys: str) -> bool:
        now = self._now()
        hits = self._recent(item, keys, now)
        if hits is None:
            hits = deque()
            self._hits[item.key_for(*keys)] = (item.get_expiry(), hits)
        if len(hits) >= item.amount:
            return False
        hits.append(now)
        return True

    async def test(self, item: RateLimitItem, *keys: str) -> bool:
        hits = self._recent(item, keys, self._now())
        return hits is None or len(hits) < item.amount

    async def clear(self, item: RateLimitItem, *keys: str) -> None:
        self._hits.pop(item.key_for(*keys), None)

    async def get_window_stats(self, item: RateLimitItem, *keys: str) -> WindowStats:
        now = self._now()
        hits = self._recent(item, keys, now)
        if not hits:
            return WindowStats(now, item.amount)
        return WindowStats(hits[0] + item.get_expiry(), max(0, item.amount - len(hits)))

    def __len__(self) -> int:
        return len(self._hits)
