"""Driving month closes to the end. The API only records the request; this job (in every
billing process) charges, posts and finishes whatever month is unfinished, so a close
interrupted by a crash resumes when the service is back."""
from __future__ import annotations

import asyncio
import logging

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from pfdo_kit.outbox import Outbox
from services.billing.models import MonthClose
from services.billing.month_close.charging import charge_month
from services.billing.month_close.invoicing import finish_if_confirmed
from services.billing.month_close.posting import post_batches

log = logging.getLogger(__name__)


async def drive_month(sessions: async_sessionmaker, outbox: Outbox, month: str, batch_size: int) -> str:
    async with sessions() as session, session.begin():
        if await charge_month(session, month):
            run = await session.get(MonthClose, month)
            log.info("month close: charged", extra={"month": month, "charges": run.charges_count,
                                                    "charges_kop": run.charges_kop})
    await post_batches(sessions, outbox, month, batch_size)
    async with sessions() as session, session.begin():
        await session.execute(update(MonthClose).where(MonthClose.month == month, MonthClose.status == "posting")
                              .values(status="posted"))
    async with sessions() as session, session.begin():
        await finish_if_confirmed(session, outbox, month)
        return (await session.get(MonthClose, month)).status


async def drive_unfinished(sessions: async_sessionmaker, outbox: Outbox, batch_size: int) -> None:
    async with sessions() as session:
        months = (await session.execute(select(MonthClose.month).where(MonthClose.status != "closed")
                                        .order_by(MonthClose.month))).scalars().all()
    for month in months:
        await drive_month(sessions, outbox, month, batch_size)


async def run_month_closes(runtime) -> None:
    """Look for unfinished months every poll interval, or at once when a close is requested."""
    settings = runtime.settings
    runtime.month_close_wakeup = wakeup = asyncio.Event()
    while True:
        wakeup.clear()
        try:
            await drive_unfinished(runtime.sessions, runtime.outbox, settings.charges_batch_size)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("month close driver failed; retrying")
        try:
            await asyncio.wait_for(wakeup.wait(), settings.close_poll_interval_s)
        except TimeoutError:
            pass
