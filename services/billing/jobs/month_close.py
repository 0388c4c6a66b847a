"""The month-close driver, the one place a payer's month is charged, posted and finished. The
API only records the request; this job (in every billing process) drives whatever (month, payer)
close is unfinished, so a close interrupted by a crash resumes when the service is back.

It wakes on a NOTIFY (`flows/month_close/wakeup.py`: a close was requested, or the answer that
completes a close's confirmations committed), and every poll interval in any case: if LISTEN
is unavailable it still polls."""
from __future__ import annotations

import asyncio
import logging

import asyncpg
from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from pfdo_kit.clock import Clock
from pfdo_kit.db import asyncpg_dsn
from pfdo_kit.outbox import Outbox
from pfdo_kit.runtime import ServiceRuntime
from pfdo_kit.wakeups import woken
from services.billing.domain.statuses import CLOSED
from services.billing.flows.month_close.charging import charge_month
from services.billing.flows.month_close.invoicing import finish_if_confirmed
from services.billing.flows.month_close.posting import mark_posted, post_one_batch
from services.billing.flows.month_close.wakeup import CHANNEL
from services.billing.models import MonthClose

log = logging.getLogger(__name__)


async def post_batches(sessions: async_sessionmaker, outbox: Outbox, month: str, municipality: str, size: int,
                       max_batches: int | None = None) -> int:
    """Post the payer's month until nothing is left (or `max_batches`), a transaction per batch;
    returns the charges posted by this call."""
    posted = batches = 0
    while max_batches is None or batches < max_batches:
        async with sessions() as session, session.begin():
            n = await post_one_batch(session, outbox, month, municipality, size)
        if n == 0:
            break
        posted, batches = posted + n, batches + 1
        if batches % 10 == 0:
            log.info("month close: posting", extra={"month": month, "municipality": municipality,
                                                    "charges_posted": posted, "batches": batches})
    return posted


async def drive_month(sessions: async_sessionmaker, outbox: Outbox, clock: Clock, month: str, municipality: str,
                      batch_size: int) -> str:
    """Take the payer's month as far as it can go now; returns its status."""
    async with sessions() as session, session.begin():
        if await charge_month(session, month, municipality):
            run = await session.get(MonthClose, (month, municipality))
            log.info("month close: charged", extra={"month": month, "municipality": municipality,
                                                    "charges": run.charges_count, "charges_kop": run.charges_kop})
    await post_batches(sessions, outbox, month, municipality, batch_size)
    async with sessions() as session, session.begin():
        await mark_posted(session, month, municipality)
    async with sessions() as session, session.begin():
        await finish_if_confirmed(session, outbox, clock, month, municipality)
        return (await session.get(MonthClose, (month, municipality))).status


async def drive_unfinished(sessions: async_sessionmaker, outbox: Outbox, clock: Clock, batch_size: int) -> None:
    async with sessions() as session:
        closes = (await session.execute(select(MonthClose.month, MonthClose.municipality)
                                        .where(MonthClose.status != CLOSED)
                                        .order_by(MonthClose.month, MonthClose.municipality))).all()
    for month, municipality in closes:
        await drive_month(sessions, outbox, clock, month, municipality, batch_size)


class MonthCloseDriver:
    """One per billing process; its own LISTEN connection sets its wake-up event."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self._runtime = runtime
        self._wakeup = asyncio.Event()
        self._listener: asyncpg.Connection | None = None

    async def run(self) -> None:
        rt, settings = self._runtime, self._runtime.settings
        try:
            while True:
                if self._listener is None or self._listener.is_closed():
                    await self._listen()
                self._wakeup.clear()
                try:
                    await drive_unfinished(rt.sessions, rt.outbox, rt.clock, settings.charges_batch_size)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    log.exception("month close driver failed; retrying")
                await woken(self._wakeup, settings.close_poll_interval_s)
        finally:
            if self._listener is not None and not self._listener.is_closed():
                await self._listener.close(timeout=2)

    async def _listen(self) -> None:
        self._listener = None
        try:
            listener = await asyncpg.connect(asyncpg_dsn(self._runtime.settings.database_url))
        except Exception as exc:
            log.warning("month close LISTEN unavailable, polling", extra={"error": repr(exc)})
            return
        try:
            await listener.add_listener(CHANNEL, lambda *_: self._wakeup.set())
        except Exception as exc:
            listener.terminate()
            log.warning("month close LISTEN unavailable, polling", extra={"error": repr(exc)})
            return
        self._listener = listener


async def run_month_closes(runtime: ServiceRuntime) -> None:
    await MonthCloseDriver(runtime).run()
