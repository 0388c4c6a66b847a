"""Billing's copy of the providers' payment agreements (соглашения) per payer and year, kept
from the registry's events (the newest event wins): an advance counts only the payers a
provider has an active agreement with."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.registry import AgreementChanged
from services.billing.models import AgreementCopy


async def keep_copy(session: AsyncSession, e: AgreementChanged, at: datetime) -> None:
    values = {"active": e.active, "limit_kop": e.limit_kop, "event_at": at}
    await session.execute(insert(AgreementCopy).values(provider_id=e.provider_id, municipality=e.municipality,
                                                       year=e.year, **values)
                          .on_conflict_do_update(index_elements=[AgreementCopy.provider_id,
                                                                 AgreementCopy.municipality, AgreementCopy.year],
                                                 set_=values, where=AgreementCopy.event_at <= at))
