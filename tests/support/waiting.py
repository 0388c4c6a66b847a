"""Waiting for an eventually-true condition, bounded in time (not a speed assertion)."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def eventually(check: Callable[[], Awaitable[bool]], timeout_s: float = 30.0, interval_s: float = 0.05,
                     what: str = "condition") -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        if await check():
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {timeout_s}s")
        await asyncio.sleep(interval_s)
