"""The in-app feed: a person's own notices, newest first, and marking them read."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found
from services.notifications.domain.access import sees
from services.notifications.models import Notification

NOT_FOUND = "Уведомление не найдено"


def _feed_of(subject: str):
    return (Notification.recipient == subject, Notification.in_feed.is_(True))


async def page(session: AsyncSession, principal: Principal, number: int, size: int
               ) -> tuple[list[Notification], int, int]:
    """(the page's notices, how many in all, how many unread)."""
    mine = _feed_of(principal.subject)
    rows = (await session.execute(select(Notification).where(*mine)
                                  .order_by(Notification.created_at.desc(), Notification.id.desc())
                                  .offset((number - 1) * size).limit(size))).scalars().all()
    total, unread = (await session.execute(select(
        func.count(), func.count().filter(Notification.read_at.is_(None))).where(*mine))).one()
    return list(rows), total, unread


async def mark_read(session: AsyncSession, principal: Principal, notification_id: uuid.UUID,
                    now: datetime) -> Notification:
    notice = await session.get(Notification, notification_id, with_for_update=True)
    if notice is None or not notice.in_feed or not sees(principal, notice.recipient):
        raise not_found(NOT_FOUND)
    if notice.read_at is None:
        notice.read_at = now
    return notice


async def mark_all_read(session: AsyncSession, principal: Principal, now: datetime) -> int:
    marked = await session.execute(update(Notification).where(*_feed_of(principal.subject),
                                                              Notification.read_at.is_(None))
                                   .values(read_at=now).returning(Notification.id))
    return len(marked.all())
