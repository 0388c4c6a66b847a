"""The reminders and the operators' digest: each round one transaction, every jobs interval."""
from __future__ import annotations

import asyncio
import logging

from pfdo_kit.runtime import ServiceRuntime
from services.notifications.flows.digest import send_digest
from services.notifications.flows.reminders import remind

log = logging.getLogger(__name__)


async def remind_once(runtime: ServiceRuntime) -> int:
    async with runtime.sessions() as session, session.begin():
        return await remind(session, runtime.clock, runtime.settings)


async def digest_once(runtime: ServiceRuntime) -> int | None:
    async with runtime.sessions() as session, session.begin():
        return await send_digest(session, runtime.clock, runtime.settings)


async def run_scheduled(runtime: ServiceRuntime) -> None:
    while True:
        for name, step in (("reminders", remind_once), ("digest", digest_once)):
            try:
                if made := await step(runtime):
                    log.info("notices made", extra={"job": name, "notices": made})
            except Exception as exc:  # the next round tries again
                log.warning("scheduled job failed", extra={"job": name, "error": repr(exc)})
        await asyncio.sleep(runtime.settings.jobs_interval_s)
