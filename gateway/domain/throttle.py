"""Sliding-window counters for the login throttle and the write rate limit (per process: with
several gateway replicas each enforces its own share)."""
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
