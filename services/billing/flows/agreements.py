"""Billing's copy of the providers' payment agreements (соглашения) per payer and year, kept
from the registry's events (the newest event wins): an advance counts only the payers a
provider has an active agreement with."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.registry import AgreementChanged
from pfdo_kit.copies import keep_newest
from services.billing.models import AgreementCopy


async def keep_copy(session: AsyncSession, e: AgreementChanged, at: datetime) -> None:
    key = {"provider_id": e.provider_id, "municipality": e.municipality, "year": e.year}
    await keep_newest(session, AgreementCopy, key, {"active": e.active, "limit_kop": e.limit_kop}, at)
