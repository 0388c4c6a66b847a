"""Whom to reach: the accounts the gateway announces, and who among them receives a notice."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.gateway import AccountRegistered, AccountUpdated
from pfdo_kit.copies import keep_newest
from services.notifications.domain import recipients
from services.notifications.domain.statuses import PENDING
from services.notifications.models import Contact, Delivery


async def remember(session: AsyncSession, e: AccountRegistered | AccountUpdated, at: datetime, now: datetime) -> None:
    """Keep the newest state of the account (an older event arriving late changes nothing), and
    wake its mails that waited for an address."""
    values = dict(email=e.email, role=e.role, municipality=e.municipality, provider_id=e.provider_id,
                  full_name=e.full_name, active=e.active)
    await keep_newest(session, Contact, {"subject": e.subject}, values, at)
    await session.execute(
        update(Delivery).where(Delivery.recipient == e.subject, Delivery.status == PENDING,
                               Delivery.address.is_(None), Delivery.next_attempt_at > now)
        .values(next_attempt_at=now))


def _contact(c: Contact) -> recipients.Contact:
    return recipients.Contact(c.subject, c.email, c.role, c.municipality, c.provider_id, c.active)


async def provider_staff(session: AsyncSession, provider_id: uuid.UUID | None) -> list[str]:
    if provider_id is None:
        return []
    rows = (await session.execute(select(Contact).where(Contact.provider_id == provider_id))).scalars()
    return recipients.provider_staff([_contact(c) for c in rows], provider_id)


async def district_operators(session: AsyncSession, municipality: str) -> list[str]:
    rows = (await session.execute(select(Contact).where(Contact.municipality == municipality,
                                                        Contact.role == "operator"))).scalars()
    return recipients.district_operators([_contact(c) for c in rows], municipality)


async def regional_operators(session: AsyncSession) -> list[str]:
    rows = (await session.execute(select(Contact).where(Contact.role == "regional_operator"))).scalars()
    return recipients.regional_operators([_contact(c) for c in rows])


async def addresses(session: AsyncSession, subjects: list[str]) -> dict[str, tuple[str, str | None]]:
    """subject → (e-mail, full name or None)."""
    rows = await session.execute(select(Contact.subject, Contact.email, Contact.full_name)
                                 .where(Contact.subject.in_(subjects)))
    return {subject: (email, name) for subject, email, name in rows}
