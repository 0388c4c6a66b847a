"""A funding period by its year, and what its quota and budget have taken so far."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.errors import not_found
from services.certificates.domain.periods import credit_cause
from services.certificates.domain.statuses import ACTIVE, FUNDED
from services.certificates.models import Certificate, FundingPeriod, LedgerEntry

NOT_FOUND = "Период не найден"


async def find_period(session: AsyncSession, year: int, *, lock: bool = False) -> FundingPeriod:
    """The period, or 404."""
    period = await session.get(FundingPeriod, year, with_for_update=lock)
    if period is None:
        raise not_found(NOT_FOUND)
    return period


async def credited_so_far(session: AsyncSession, year: int) -> int:
    """What the period has credited, against its budget cap."""
    return int(await session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_kop), 0)).where(
        LedgerEntry.kind == "credit", LedgerEntry.cause == credit_cause(year))))


async def funded_now(session: AsyncSession) -> int:
    """Active certificates of financing, against the period's quota."""
    return int(await session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.kind == FUNDED, Certificate.status == ACTIVE)))
