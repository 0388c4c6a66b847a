"""Billing's copy of each provider, kept from the registry's events (the newest event wins), with
the requisites its contracts' offers name it by; a provider suspended or excluded ends its contracts."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.registry import ProviderExcluded, ProviderSnapshot, ProviderSuspended
from pfdo_kit.copies import keep_newest
from pfdo_kit.outbox import Outbox
from services.billing.flows import contracts
from services.billing.flows.documents import Paperwork
from services.billing.flows.offer_queue import queue_offers_where
from services.billing.models import Contract, ProviderCopy

ENDS_CONTRACTS = {ProviderSuspended: "Поставщик приостановлен", ProviderExcluded: "Поставщик исключён из реестра"}


async def keep_copy(session: AsyncSession, p: ProviderSnapshot, at: datetime) -> None:
    requisites = p.requisites.model_dump(mode="json") if p.requisites else None
    await keep_newest(session, ProviderCopy, {"id": p.provider_id}, {**p.copy_values(), "requisites": requisites}, at)


async def apply_news(session: AsyncSession, outbox: Outbox, e, at: datetime, today: date, paper: Paperwork) -> None:
    """Any provider event: the copy follows it; a suspension or exclusion ends the contracts."""
    await keep_copy(session, e.provider, at)
    await queue_offers_where(session, Contract.provider_id == e.provider.provider_id)  # its requisites may have changed
    if (reason := ENDS_CONTRACTS.get(type(e))) is not None:
        await contracts.end_for_provider(session, outbox, e.provider.provider_id, reason, today, paper)
