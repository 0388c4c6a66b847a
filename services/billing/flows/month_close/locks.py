"""Locks of the month close. Charging is one at a time across months (each month's charge
reads what the previous month's left reserved). A month's own lock: the close takes it
exclusively while it charges, marking attendance takes it shared, so no mark slips in
between the charge and the month's closing."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


def _key(month: str):
    return func.hashtext("billing-month:" + month)


async def lock_month(session: AsyncSession, month: str) -> None:
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext("billing-charging"))))
    await session.execute(select(func.pg_advisory_xact_lock(_key(month))))


async def share_month(session: AsyncSession, month: str) -> None:
    await session.execute(select(func.pg_advisory_xact_lock_shared(_key(month))))
