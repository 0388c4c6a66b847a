"""A payer's month closes as they were recorded."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.models import MonthClose


async def month_close(session: AsyncSession, month: str, municipality: str) -> MonthClose | None:
    return await session.get(MonthClose, (month, municipality))


async def month_closes(session: AsyncSession, municipality: str,
                       params: PageParams) -> tuple[list[MonthClose], int]:
    """A page of the payer's month closes, newest month first, and how many in all."""
    query = select(MonthClose).where(MonthClose.municipality == municipality).order_by(MonthClose.month.desc())
    rows, total = await paginate(session, query, params)
    return [close for close, in rows], total
