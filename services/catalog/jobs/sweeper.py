"""Time-driven moves, every `sweep_interval_s`: an unanswered waitlist offer passes on; an
application the provider did not decide by its deadline expires; search's projection catches
up with the day (groups that ended) and with programs no flow projected."""
from __future__ import annotations

import asyncio
import logging

from pfdo_kit.runtime import ServiceRuntime
from services.catalog.flows import applications, search_projection

log = logging.getLogger(__name__)


async def sweep_once(runtime: ServiceRuntime) -> int:
    """One round, the applications in one transaction; how many applications it moved."""
    clock = runtime.clock
    async with runtime.sessions() as session, session.begin():
        moved = await applications.expire_overdue_offers(session, runtime.outbox, clock, runtime.settings.offer_hours)
        moved += await applications.expire_undecided(session, runtime.outbox, clock.today())
    projected = await catch_up_search(runtime)
    if moved or projected:
        log.info("catalog sweep", extra={"moved": moved, "projected": projected})
    return moved


async def catch_up_search(runtime: ServiceRuntime) -> int:
    """Batch by batch, each in its own transaction, until nothing is due."""
    projected = 0
    while True:
        async with runtime.sessions() as session, session.begin():
            done = await search_projection.catch_up(session, runtime.clock.today())
        projected += done
        if done < search_projection.CATCH_UP_BATCH:
            return projected


async def run_sweeper(runtime: ServiceRuntime) -> None:
    while True:
        try:
            await sweep_once(runtime)
        except Exception as exc:  # the next round tries again
            log.warning("catalog sweep failed", extra={"error": repr(exc)})
        await asyncio.sleep(runtime.settings.sweep_interval_s)
