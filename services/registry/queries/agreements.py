"""Payment agreements as a principal may read them, and the newest active one of a provider."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import not_found
from pfdo_kit.pagination import PageParams, paginate
from services.registry.domain import access
from services.registry.models import PaymentAgreement, Provider
from services.registry.queries.providers import NOT_FOUND


async def newest_active(session: AsyncSession, provider_id: uuid.UUID) -> PaymentAgreement | None:
    """The provider's active agreement of the latest year (the latest signed within it), with any payer."""
    return (await session.execute(
        select(PaymentAgreement).where(PaymentAgreement.provider_id == provider_id, PaymentAgreement.active)
        .order_by(PaymentAgreement.year.desc(), PaymentAgreement.signed_on.desc(), PaymentAgreement.municipality)
        .limit(1))).scalar_one_or_none()


async def page(session: AsyncSession, provider_id: uuid.UUID, principal: Principal, params: PageParams, *,
               year: int | None, municipality: str | None,
               active: bool | None) -> tuple[list[PaymentAgreement], int]:
    """One page of the provider's agreements this principal reads (newest years first) and their total:
    all of them for the provider itself and the region's staff, its own payer's for a municipal
    operator; 403 to anyone else who sees the provider, 404 to who does not."""
    p = await session.get(Provider, provider_id)
    if p is None:
        raise not_found(NOT_FOUND)
    scope = access.agreement_scope(principal, p.id, p.submitted_by)
    query = select(PaymentAgreement).where(PaymentAgreement.provider_id == provider_id)
    if scope == "own_payer":
        query = query.where(PaymentAgreement.municipality == principal.municipality)
    # A payer still reads its own agreements with a provider it no longer sees (suspended, excluded).
    if not access.sees_at_all(principal, p.status, p.id, p.municipality, p.submitted_by) and (
            scope != "own_payer" or (await session.execute(query.limit(1))).first() is None):
        raise not_found(NOT_FOUND)
    if scope == "none":
        raise forbidden()
    if year is not None:
        query = query.where(PaymentAgreement.year == year)
    if municipality is not None:
        query = query.where(PaymentAgreement.municipality == municipality)
    if active is not None:
        query = query.where(PaymentAgreement.active == active)
    rows, total = await paginate(
        session, query.order_by(PaymentAgreement.year.desc(), PaymentAgreement.municipality), params)
    return [r.PaymentAgreement for r in rows], total
