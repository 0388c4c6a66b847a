"""A long run as the staff follow its progress."""
from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found
from services.certificates.domain.access import sees_run
from services.certificates.models import Run


async def visible_run(session: AsyncSession, principal: Principal, run_id: uuid.UUID,
                      period_year: int | None) -> Run:
    """A period's run (`period_year`) or a close of adults (None), if the principal may follow it."""
    run = await session.get(Run, run_id)
    if run is None or run.period_year != period_year or not sees_run(principal, run.municipality):
        raise not_found("Запуск не найден")
    return run
