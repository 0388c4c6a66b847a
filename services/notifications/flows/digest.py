"""The operators' daily digests, once a day from the configured hour: each municipality's operators
hear of its certificates awaiting verification, the region's operators of the providers awaiting
approval (the registry is the region's). Nothing waiting: nothing sent."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.clock import Clock
from services.notifications.domain import templates
from services.notifications.domain.reminders import digest_due
from services.notifications.flows import checks, contacts
from services.notifications.flows.notices import Cause, Notice, record
from services.notifications.models import JobRun
from services.notifications.settings import NotificationsSettings

JOB = "operator_digest"


async def send_digest(session: AsyncSession, clock: Clock, settings: NotificationsSettings) -> int | None:
    """None when today's digest is not due (too early, or made already); else how many notices."""
    now = clock.now()
    local_now = clock.local(now)
    last_day = await session.scalar(select(func.max(JobRun.day)).where(JobRun.job == JOB))
    if not digest_due(local_now, settings.digest_at, last_day):
        return None
    today = local_now.date()
    claimed = await session.execute(insert(JobRun).values(job=JOB, day=today, done_at=now)
                                    .on_conflict_do_nothing().returning(JobRun.day))
    if claimed.first() is None:
        return None  # another process made it
    cause = Cause(session, clock, settings, f"digest:{today.isoformat()}", now)
    notices, providers = [], []
    for municipality, waiting in (await checks.open_by_municipality(session)).items():
        providers += waiting[checks.PROVIDER]
        if waiting[checks.CERTIFICATE]:
            message = templates.operator_digest(waiting[checks.CERTIFICATE], [])
            notices += [Notice(op, "operator_digest", municipality, message)
                        for op in await contacts.district_operators(session, municipality)]
    if providers:
        message = templates.region_digest(sorted(providers))
        notices += [Notice(op, "region_digest", "region", message) for op in await contacts.regional_operators(session)]
    return await record(cause, notices)
