"""Time-driven moves: an unanswered waitlist offer passes on; an application the provider
did not decide by its deadline expires."""
from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from sqlalchemy import select, update

from services.catalog.applications import let_go
from services.catalog.models import Application

log = logging.getLogger(__name__)


async def sweep_once(sessions, offer_hours: int, now: datetime | None = None) -> int:
    now = now or datetime.now(UTC)
    moved = 0
    async with sessions() as session, session.begin():
        overdue = (await session.execute(
            select(Application).where(Application.status == "offered", Application.offered_until < now)
            .order_by(Application.offered_until).limit(500).with_for_update(skip_locked=True)
        )).scalars().all()
        for app in overdue:
            await let_go(session, app, "expired", offer_hours, "Предложенное место не подтверждено вовремя")
        undecided = await session.execute(
            update(Application).where(Application.status == "submitted", Application.decide_by < now.date())
            .values(status="expired", reason="Поставщик не рассмотрел заявку в срок").returning(Application.id))
        moved = len(overdue) + len(undecided.all())
    if moved:
        log.info("catalog sweep", extra={"moved": moved})
    return moved


async def run_sweeper(runtime) -> None:
    settings = runtime.settings
    while True:
        try:
            await sweep_once(runtime.sessions, settings.offer_hours)
        except Exception as exc:  # the next round tries again
            log.warning("catalog sweep failed", extra={"error": repr(exc)})
        await asyncio.sleep(settings.sweep_interval_s)


