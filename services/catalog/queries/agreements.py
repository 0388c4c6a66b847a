"""A provider's payment agreement with a payer for a year, as the catalog's copies know it."""
from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.domain.payment_check import AgreementFacts
from services.catalog.models import AgreementCopy, AgreementUsage


async def agreement_facts(session: AsyncSession, provider_id: uuid.UUID, payer: str, year: int) -> AgreementFacts | None:
    """Its activity, limit and usage; None when the registry announced no such agreement."""
    agreement = await session.get(AgreementCopy, (provider_id, payer, year))
    if agreement is None:
        return None
    usage = await session.get(AgreementUsage, (provider_id, payer, year))
    return AgreementFacts(active=agreement.active, limit_kop=agreement.limit_kop,
                          used_kop=usage.used_kop if usage is not None else 0)
