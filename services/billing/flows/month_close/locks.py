"""Locks of a payer's month close. Charging is one at a time across a payer's months (each
month's charge reads what the previous month's left reserved); payers never share a contract,
so their closes run side by side. A month's own lock per payer: the close takes it exclusively
while it charges, marking attendance takes it shared for the payers of the children marked, so
no mark slips in between the charge and the month's closing."""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession


def _key(month: str, municipality: str):
    return func.hashtext(f"billing-month:{municipality}:{month}")


async def lock_month(session: AsyncSession, month: str, municipality: str) -> None:
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"billing-charging:{municipality}"))))
    await session.execute(select(func.pg_advisory_xact_lock(_key(month, municipality))))


async def share_month(session: AsyncSession, month: str, municipalities: Iterable[str]) -> None:
    for municipality in sorted(set(municipalities)):  # one order everywhere: no deadlock between markers
        await session.execute(select(func.pg_advisory_xact_lock_shared(_key(month, municipality))))
