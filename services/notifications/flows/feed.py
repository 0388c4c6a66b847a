"""Marking a person's own notices read (the feed itself is read in queries/feed.py)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found
from services.notifications.domain.access import sees
from services.notifications.models import Notification
from services.notifications.queries.feed import feed_of

NOT_FOUND = "Уведомление не найдено"


async def mark_read(session: AsyncSession, principal: Principal, notification_id: uuid.UUID,
                    now: datetime) -> Notification:
    notice = await session.get(Notification, notification_id, with_for_update=True)
    if notice is None or not notice.in_feed or not sees(principal, notice.recipient):
        raise not_found(NOT_FOUND)
    if notice.read_at is None:
        notice.read_at = now
    return notice


async def mark_all_read(session: AsyncSession, principal: Principal, now: datetime) -> int:
    marked = await session.execute(update(Notification).where(*feed_of(principal.subject),
                                                              Notification.read_at.is_(None))
                                   .values(read_at=now).returning(Notification.id))
    return len(marked.all())
