"""A payer's month close as it was recorded."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.models import MonthClose


async def month_close(session: AsyncSession, month: str, municipality: str) -> MonthClose | None:
    return await session.get(MonthClose, (month, municipality))
