"""Time-driven moves, every `sweep_interval_s`: an unanswered waitlist offer passes on; an
application the provider did not decide by its deadline expires."""
from __future__ import annotations

import asyncio
import logging

from pfdo_kit.runtime import ServiceRuntime
from services.catalog.flows import applications

log = logging.getLogger(__name__)


async def sweep_once(runtime: ServiceRuntime) -> int:
    """One round in one transaction; how many applications it moved."""
    clock = runtime.clock
    async with runtime.sessions() as session, session.begin():
        moved = await applications.expire_overdue_offers(session, clock, runtime.settings.offer_hours)
        moved += await applications.expire_undecided(session, clock.today())
    if moved:
        log.info("catalog sweep", extra={"moved": moved})
    return moved


async def run_sweeper(runtime: ServiceRuntime) -> None:
    while True:
        try:
            await sweep_once(runtime)
        except Exception as exc:  # the next round tries again
            log.warning("catalog sweep failed", extra={"error": repr(exc)})
        await asyncio.sleep(runtime.settings.sweep_interval_s)
