"""Long runs as the staff follow their progress: one, or a period's."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found
from pfdo_kit.pagination import PageParams, paginate
from services.certificates.domain.access import sees_run
from services.certificates.models import Run

NOT_FOUND = "Запуск не найден"


async def visible_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID, period_year: int | None,
                      municipality: str | None = None) -> Run:
    """A municipality's period's run (`municipality`, `period_year`) or a close of adults (both
    None), if the principal may follow it; otherwise 404."""
    run = await session.get(Run, run_id)
    if (run is None or run.period_year != period_year
            or (period_year is not None and run.municipality != municipality)
            or not sees_run(principal, run.municipality)):
        raise not_found(NOT_FOUND)
    return run


async def period_runs(session: AsyncSession, municipality: str, year: int,
                      params: PageParams) -> tuple[list[Run], int]:
    """A page of the runs over a municipality's period, newest first, and how many in all."""
    query = (select(Run).where(Run.municipality == municipality, Run.period_year == year)
             .order_by(Run.requested_at.desc(), Run.id))
    rows, total = await paginate(session, query, params)
    return [run for run, in rows], total
