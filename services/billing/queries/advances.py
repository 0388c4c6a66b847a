"""Advances as a principal lists them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.models import Advance, ProviderCopy


async def advances_within(session: AsyncSession, scope: dict[str, Any], params: PageParams,
                          month: str | None) -> tuple[list[Advance], int]:
    """A page of the advances of a scope (`domain.access.money_scope`), by month and provider (one
    advance per provider and month), and their total."""
    query = select(Advance)
    if "municipality" in scope:  # an advance's municipality is its provider's
        query = query.join(ProviderCopy, ProviderCopy.id == Advance.provider_id).where(*within(ProviderCopy, scope))
    else:
        query = query.where(*within(Advance, scope))
    if month:
        query = query.where(Advance.month == month)
    rows, total = await paginate(session, query.order_by(Advance.month, Advance.provider_id), params)
    return [advance for advance, in rows], total
