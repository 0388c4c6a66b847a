"""Advances as a principal lists them, each with its parts per payer."""
from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.models import Advance, AdvancePart


async def advances_within(session: AsyncSession, scope: dict[str, Any], params: PageParams,
                          month: str | None) -> tuple[list[tuple[Advance, list[AdvancePart]]], int]:
    """A page of the advances of a scope (`domain.access.money_scope`), by month and provider (one
    advance per provider and month), each with its parts, and their total. A payer's scope sees
    the advances with a part of that payer, and only that part."""
    query = select(Advance)
    payer = scope.get("payer")
    if payer is not None:
        query = query.where(exists().where(AdvancePart.advance_id == Advance.id, AdvancePart.payer == payer))
    query = query.where(*within(Advance, {k: v for k, v in scope.items() if k != "payer"}))
    if month:
        query = query.where(Advance.month == month)
    rows, total = await paginate(session, query.order_by(Advance.month, Advance.provider_id), params)
    advances = [advance for advance, in rows]
    parts_query = select(AdvancePart).where(AdvancePart.advance_id.in_([a.id for a in advances]))
    if payer is not None:
        parts_query = parts_query.where(AdvancePart.payer == payer)
    parts: dict = {}
    for part in (await session.execute(parts_query.order_by(AdvancePart.payer))).scalars():
        parts.setdefault(part.advance_id, []).append(part)
    return [(a, parts.get(a.id, [])) for a in advances], total


async def parts_of(session: AsyncSession, advance_id) -> list[AdvancePart]:
    return list((await session.execute(select(AdvancePart).where(AdvancePart.advance_id == advance_id)
                                       .order_by(AdvancePart.payer))).scalars().all())
