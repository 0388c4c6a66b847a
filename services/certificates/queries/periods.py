"""A funding period by its year."""
from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.errors import not_found
from services.certificates.models import FundingPeriod

NOT_FOUND = "Период не найден"


async def find_period(session: AsyncSession, year: int, *, lock: bool = False) -> FundingPeriod:
    """The period, or 404."""
    period = await session.get(FundingPeriod, year, with_for_update=lock)
    if period is None:
        raise not_found(NOT_FOUND)
    return period
