"""A person's feed as they read it: their own notices, newest first, and how many are unread."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.pagination import PageParams, paginate
from services.notifications.models import Notification


def feed_of(subject: str):
    """The conditions of one person's feed (a mail-only notice, such as a password reset, is not in it)."""
    return (Notification.recipient == subject, Notification.in_feed.is_(True))


async def page(session: AsyncSession, principal: Principal, params: PageParams) -> tuple[list[Notification], int, int]:
    """(the page's notices, how many in all, how many unread)."""
    mine = feed_of(principal.subject)
    rows, total = await paginate(session, select(Notification).where(*mine)
                                 .order_by(Notification.created_at.desc(), Notification.id.desc()), params)
    unread = await session.scalar(select(func.count()).where(*mine, Notification.read_at.is_(None)))
    return [r.Notification for r in rows], total, unread
