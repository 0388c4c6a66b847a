"""Waiting for a wake-up or a timeout without losing a cancellation.

On Python 3.11 `asyncio.wait_for(event.wait(), t)` returns normally when the task is cancelled just
as the event is set (the inner wait done, the cancel swallowed: CPython gh-86296, fixed in 3.12). A loop
such as the outbox relay's then runs on after its service was told to stop, and the stop that awaits
it never ends. `asyncio.timeout` keeps the cancellation."""
from __future__ import annotations

import asyncio


async def woken(event: asyncio.Event, within_s: float) -> bool:
    """True when `event` was set within `within_s` seconds, False on the timeout; a cancel is raised."""
    try:
        async with asyncio.timeout(within_s):
            await event.wait()
    except TimeoutError:
        return False
    return True
