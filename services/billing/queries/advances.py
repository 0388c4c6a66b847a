"""Advances as a principal lists them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.access import within
from services.billing.models import Advance, ProviderCopy


async def advances_within(session: AsyncSession, scope: dict[str, Any], month: str | None) -> list[Advance]:
    """The advances of a scope (`domain.access.money_scope`), by month and provider."""
    query = select(Advance)
    if "municipality" in scope:  # an advance's municipality is its provider's
        query = query.join(ProviderCopy, ProviderCopy.id == Advance.provider_id).where(*within(ProviderCopy, scope))
    else:
        query = query.where(*within(Advance, scope))
    if month:
        query = query.where(Advance.month == month)
    rows = await session.execute(query.order_by(Advance.month, Advance.provider_id))
    return list(rows.scalars())
