"""A municipality's funding period by its year, and what its quota and budget have taken so far."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import not_found
from pfdo_kit.municipalities import Municipality, known
from services.certificates.domain.access import reads_periods
from services.certificates.domain.periods import credit_cause
from services.certificates.domain.statuses import ACTIVE, FUNDED
from services.certificates.models import Certificate, FundingPeriod, LedgerEntry

NOT_FOUND = "Период не найден"


async def find_period(session: AsyncSession, municipality: str, year: int, *, lock: bool = False) -> FundingPeriod:
    """The period, or 404."""
    period = await session.get(FundingPeriod, (municipality, year), with_for_update=lock)
    if period is None:
        raise not_found(NOT_FOUND)
    return period


async def readable_period(session: AsyncSession, principal: Principal, municipalities: list[Municipality],
                          municipality: str, year: int) -> FundingPeriod:
    """The period if the principal may read it (its municipality's staff, the region's staff):
    otherwise 403; a municipality the installation lacks, 422; no period, 404."""
    if not reads_periods(principal, municipality):
        raise forbidden()
    known(municipalities, municipality)
    return await find_period(session, municipality, year)


async def credited_so_far(session: AsyncSession, municipality: str, year: int) -> int:
    """What the municipality's period has credited to its certificates, against its budget cap."""
    return int(await session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount_kop), 0))
        .join(Certificate, Certificate.id == LedgerEntry.certificate_id)
        .where(LedgerEntry.kind == "credit", LedgerEntry.cause == credit_cause(year),
               Certificate.municipality == municipality)))


async def funded_now(session: AsyncSession, municipality: str) -> int:
    """The municipality's active certificates of financing, against its period's quota."""
    return int(await session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.kind == FUNDED, Certificate.status == ACTIVE, Certificate.municipality == municipality)))
