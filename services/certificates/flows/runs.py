"""Recording a long run the staff asked for; jobs/runs.py works it. Asking again
while a run of the same kind and scope is unfinished answers that run."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.certificates.domain.statuses import QUEUED, UNFINISHED, RunKind
from services.certificates.models import Run


@dataclass(frozen=True)
class Batch:
    """What one batch of a run did."""

    seen: int  # certificates looked at
    last_id: uuid.UUID | None  # the next batch starts after it
    moved: int = 0  # certificates credited, expired or closed
    moved_kop: int = 0  # kopecks credited or expired
    stopped_at_budget: bool = False
    finished: bool = False
    interrupted: str | None = None  # why the run cannot go on (Russian, shown to the operator)


async def request_run(session: AsyncSession, kind: RunKind, requested_by: str, now: datetime,
                      period_year: int | None = None, municipality: str | None = None) -> Run:
    """The unfinished run of this kind and scope, or a new queued one."""
    while True:
        await session.execute(insert(Run).values(
            id=uuid.uuid4(), kind=kind, status=QUEUED, period_year=period_year, municipality=municipality,
            requested_by=requested_by, requested_at=now, processed=0, moved_count=0, moved_kop=0,
            stopped_at_budget=False, failures=0).on_conflict_do_nothing())
        run = (await session.execute(select(Run).where(
            Run.kind == kind, Run.period_year.is_not_distinct_from(period_year),
            Run.municipality.is_not_distinct_from(municipality), Run.status.in_(UNFINISHED)))).scalar_one_or_none()
        if run is not None:  # None: the run we collided with finished in between; ask again
            return run

