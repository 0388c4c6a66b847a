"""The mail sender's writes, each its own short transaction around the SMTP conversation:
claim (the attempt recorded before a byte leaves), then sent or failed."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.domain.delivery_rules import backoff_s, next_free_slot
from services.notifications.domain.kinds import KINDS
from services.notifications.domain.statuses import PENDING, SENDING, TRANSITIONS
from services.notifications.flows.contacts import addresses
from services.notifications.models import Delivery
from services.notifications.settings import NotificationsSettings

NO_ADDRESS = "Адрес получателя ещё неизвестен"
ERASED = "(текст письма удалён после отправки: в нём была одноразовая ссылка)"
SECRET_KINDS = [k.name for k in KINDS.values() if k.secret]


@dataclass(frozen=True)
class Outgoing:
    id: uuid.UUID
    attempt: int
    address: str
    name: str | None
    subject: str
    body: str


async def _recent_sends(session: AsyncSession, recipients: list[str], since: datetime) -> dict[str, list[datetime]]:
    rows = await session.execute(select(Delivery.recipient, Delivery.last_attempt_at).where(
        Delivery.recipient.in_(recipients), Delivery.status != PENDING, Delivery.last_attempt_at > since))
    out: dict[str, list[datetime]] = {}
    for recipient, at in rows:
        out.setdefault(recipient, []).append(at)
    return out


async def claim(session: AsyncSession, now: datetime, s: NotificationsSettings) -> list[Outgoing]:
    """Take due mails (other senders skip what this one locked) and mark them sending. One whose
    address is not known yet, or whose recipient had their fill this window, waits instead."""
    lease_over = now - timedelta(seconds=s.mail_sending_lease_s)
    due = (await session.execute(
        select(Delivery).where(or_(and_(Delivery.status == PENDING, Delivery.next_attempt_at <= now),
                                   and_(Delivery.status == SENDING, Delivery.last_attempt_at < lease_over)))
        .order_by(Delivery.next_attempt_at, Delivery.id).limit(s.mail_batch_size)
        .with_for_update(skip_locked=True))).scalars().all()
    if not due:
        return []
    recipients = sorted({d.recipient for d in due})
    known = await addresses(session, recipients)
    window = timedelta(seconds=s.mail_rate_window_s)
    recent = await _recent_sends(session, recipients, now - window)
    claimed = []
    for d in due:
        address, name = known.get(d.recipient, (None, None))
        address = d.address or address
        if address is None:
            d.status = TRANSITIONS.next(d.status, "postpone")
            d.next_attempt_at, d.last_error = now + timedelta(seconds=s.mail_retry_max_s), NO_ADDRESS
            continue
        sent_lately = recent.setdefault(d.recipient, [])
        if d.status == PENDING and (free_at := next_free_slot(sent_lately, s.mail_rate_limit, window)) is not None:
            d.status = TRANSITIONS.next(d.status, "postpone")
            d.next_attempt_at = free_at
            continue
        d.status, d.attempts, d.last_attempt_at, d.address = TRANSITIONS.next(d.status, "claim"), d.attempts + 1, now, address
        sent_lately.append(now)
        claimed.append(Outgoing(d.id, d.attempts, address, name, d.subject, d.body))
    return claimed


async def renew_claim(session: AsyncSession, delivery_id: uuid.UUID, attempt: int, now: datetime) -> bool:
    """Stamp the claim just before its mail is sent, so the lease counts from the send, not from
    the batch's claim (a slow server would otherwise let another sender take the batch's tail and
    send it too). False: another sender took it meanwhile — this one must not send it."""
    renewed = await session.execute(update(Delivery).where(
        Delivery.id == delivery_id, Delivery.status == SENDING, Delivery.attempts == attempt)
        .values(last_attempt_at=now).returning(Delivery.id))
    return renewed.first() is not None


def _settle(delivery_id: uuid.UUID, attempt: int, action: str):
    """An update that applies only if this sender still holds the claim (its attempt is the last)."""
    t = TRANSITIONS[action]
    return update(Delivery).where(Delivery.id == delivery_id, Delivery.status.in_(t.sources),
                                  Delivery.attempts == attempt).values(status=t.target)


async def mark_sent(session: AsyncSession, delivery_id: uuid.UUID, attempt: int, now: datetime) -> None:
    await session.execute(_settle(delivery_id, attempt, "sent").values(
        sent_at=now, last_error=None,
        body=case((Delivery.kind.in_(SECRET_KINDS), ERASED), else_=Delivery.body)))


async def mark_failed(session: AsyncSession, delivery_id: uuid.UUID, attempt: int, now: datetime, error: str,
                      s: NotificationsSettings) -> None:
    wait = backoff_s(attempt, s.mail_retry_base_s, s.mail_retry_max_s)
    await session.execute(_settle(delivery_id, attempt, "failed").values(
        next_attempt_at=now + timedelta(seconds=wait), last_error=error[:500]))
