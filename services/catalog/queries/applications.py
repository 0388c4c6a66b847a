"""Applications as a principal may list them."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from services.catalog.domain import access
from services.catalog.models import Application


async def applications_for(session: AsyncSession, principal: Principal, status: str | None,
                           limit: int) -> list[Application]:
    query = select(Application).filter_by(**access.applications_scope(principal))
    if status:
        query = query.where(Application.status == status)
    return list((await session.execute(query.order_by(Application.created_at, Application.id).limit(limit))).scalars())
