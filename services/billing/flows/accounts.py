"""Billing's copy of the accounts the gateway announces: a contract's owner by name and address,
as its offer names the family (the newest event wins)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.gateway import AccountRegistered, AccountUpdated
from pfdo_kit.copies import keep_newest
from services.billing.flows.offer_queue import queue_offers_where
from services.billing.models import AccountCopy, Contract


async def keep_copy(session: AsyncSession, e: AccountRegistered | AccountUpdated, at: datetime) -> None:
    await keep_newest(session, AccountCopy, {"subject": e.subject}, {"email": e.email, "full_name": e.full_name}, at)
    await queue_offers_where(session, Contract.owner == e.subject)  # the offers name the family
