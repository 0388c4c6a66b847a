"""Reminders from what the service kept of applications and contracts: a seat offer about to
lapse, a contract left unsigned, a provider's decision due tomorrow. Each goes once: the
enrollment records that it went, and the notice's key ("reminder", recipient, kind, id) holds."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.clock import Clock
from services.notifications.domain import templates
from services.notifications.domain.reminders import (
    contract_reminder_due,
    decision_reminder_due,
    hours_left,
    offer_reminder_due,
)
from services.notifications.flows import contacts
from services.notifications.flows.notices import Cause, Notice, record
from services.notifications.models import Enrollment
from services.notifications.settings import NotificationsSettings

SOURCE = "reminder"
BATCH = 500


async def _watched(session: AsyncSession, *where) -> list[Enrollment]:
    return list((await session.execute(select(Enrollment).where(*where).order_by(Enrollment.id).limit(BATCH)
                                       .with_for_update(skip_locked=True))).scalars())


async def remind_offers(cause: Cause) -> int:
    s, now = cause.settings, cause.at
    notices = []
    for en in await _watched(cause.session, Enrollment.offer_closed_at.is_(None), Enrollment.offer_reminded_at.is_(None),
                             Enrollment.offered_until > now,
                             Enrollment.offered_until <= now + timedelta(hours=s.offer_reminder_hours)):
        if not offer_reminder_due(now, en.offered_until, s.offer_reminder_hours) or en.owner is None:
            continue
        en.offer_reminded_at = now
        notices.append(Notice(en.owner, "offer_expiring", en.id, templates.offer_expiring(
            en.id, en.program_title, cause.clock.local(en.offered_until), hours_left(now, en.offered_until))))
    return await record(cause, notices)


async def remind_contracts(cause: Cause) -> int:
    days, now = cause.settings.contract_reminder_days, cause.at
    notices = []
    for en in await _watched(cause.session, Enrollment.contract_closed_at.is_(None),
                             Enrollment.contract_reminded_at.is_(None),
                             Enrollment.contract_offered_at <= now - timedelta(days=days)):
        if not contract_reminder_due(now, en.contract_offered_at, days) or en.owner is None:
            continue
        en.contract_reminded_at = now
        waited = max(days, (now - en.contract_offered_at).days)
        notices.append(Notice(en.owner, "contract_unsigned", en.id, templates.contract_unsigned(
            en.id, en.contract_number, en.program_title, waited)))
    return await record(cause, notices)


async def remind_decisions(cause: Cause) -> int:
    today = cause.clock.today()
    notices = []
    for en in await _watched(cause.session, Enrollment.decided_at.is_(None), Enrollment.decision_reminded_at.is_(None),
                             Enrollment.decide_by.between(today, today + timedelta(days=1))):
        if not decision_reminder_due(today, en.decide_by):
            continue
        en.decision_reminded_at = cause.at
        message = templates.decision_due(en.id, en.program_title, en.decide_by)
        notices += [Notice(s, "decision_due", en.id, message)
                    for s in await contacts.provider_staff(cause.session, en.provider_id)]
    return await record(cause, notices)


async def remind(session: AsyncSession, clock: Clock, settings: NotificationsSettings) -> int:
    cause = Cause(session, clock, settings, SOURCE, clock.now())
    return await remind_offers(cause) + await remind_contracts(cause) + await remind_decisions(cause)
