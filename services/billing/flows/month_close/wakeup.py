"""Waking the month-close driver (`jobs/month_close.py`) in every billing process. It is a
NOTIFY, which PostgreSQL delivers only when the caller's transaction commits: the driver never
wakes before what it should act on is visible. A lost wake-up costs one poll interval."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

CHANNEL = "billing_month_close"


async def wake_driver(session: AsyncSession, month: str, municipality: str) -> None:
    await session.execute(select(func.pg_notify(CHANNEL, f"{municipality}/{month}")))
