"""Recording notices: the feed item and, unless the person switched that kind off, its mail,
in the caller's transaction (for an event: the consumer's, with the inbox row). Exactly once
per source, recipient, kind and object: a repeat finds the notice made and adds nothing."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.clock import Clock
from services.notifications.domain import links
from services.notifications.domain.kinds import KINDS, goes_by_mail
from services.notifications.domain.mail import mail_text
from services.notifications.domain.statuses import PENDING
from services.notifications.domain.templates import Message
from services.notifications.models import Delivery, MailOff, Notification
from services.notifications.settings import NotificationsSettings


@dataclass(frozen=True)
class Cause:
    """What makes notices now: the transaction, the clock, the settings, and the source that
    keys them (an event's id, "reminder", "digest:<day>") with the moment it happened."""

    session: AsyncSession
    clock: Clock
    settings: NotificationsSettings
    source: str
    at: datetime


@dataclass(frozen=True)
class Notice:
    recipient: str
    kind: str
    ref: uuid.UUID | str  # the object it is about
    message: Message
    address: str | None = None  # only when the event names the address itself (a password reset)


async def mail_off(session: AsyncSession, recipients: Sequence[str]) -> dict[str, set[str]]:
    rows = (await session.execute(select(MailOff.subject, MailOff.kind).where(MailOff.subject.in_(recipients)))).all()
    off: dict[str, set[str]] = {}
    for subject, kind in rows:
        off.setdefault(subject, set()).add(kind)
    return off


async def record(cause: Cause, notices: Sequence[Notice]) -> int:
    """Make what is not made yet; returns how many notices are new."""
    unique = {(n.recipient, n.kind, str(n.ref)): n for n in notices}
    if not unique:
        return 0
    now, base = cause.clock.now(), cause.settings.public_base_url
    made = (await cause.session.execute(
        insert(Notification).values([
            dict(id=uuid.uuid4(), recipient=r, kind=k, source=cause.source, ref=ref, title=n.message.title,
                 body=n.message.body, link=None if KINDS[k].secret else links.absolute(base, n.message.link),
                 in_feed=KINDS[k].in_feed, created_at=now)
            for (r, k, ref), n in unique.items()])
        .on_conflict_do_nothing(constraint="notifications_once")
        .returning(Notification.id, Notification.recipient, Notification.kind, Notification.ref))).all()
    if not made:
        return 0
    off = await mail_off(cause.session, sorted({row.recipient for row in made}))
    mails = []
    for notification_id, recipient, kind_name, ref in made:
        kind, notice = KINDS[kind_name], unique[(recipient, kind_name, ref)]
        if not goes_by_mail(kind, off.get(recipient, set())):
            continue
        text = mail_text(notice.message.body, links.absolute(base, notice.message.link),
                         None if kind.essential else links.absolute(base, links.preferences()))
        mails.append(dict(id=uuid.uuid4(), notification_id=notification_id, recipient=recipient, kind=kind_name,
                          address=notice.address, subject=notice.message.title, body=text, status=PENDING,
                          attempts=0, next_attempt_at=now, created_at=now))
    if mails:
        await cause.session.execute(insert(Delivery).values(mails))
    return len(made)
