"""Providers as a principal may read them: one provider, a page of the registry, a
provider's history, and the venues of providers."""
from __future__ import annotations

import uuid

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found
from pfdo_kit.pagination import PageParams, paginate
from pfdo_kit.text_match import ESCAPE, contains_pattern
from services.registry.domain import access
from services.registry.domain.statuses import APPROVED
from services.registry.models import PaymentAgreement, Provider, ProviderChange, Venue

NOT_FOUND = "Поставщик не найден"


async def visible(session: AsyncSession, provider_id: uuid.UUID, principal: Principal | None) -> Provider:
    """The provider if `principal` may see it at all; re-read, so after a write in this
    transaction the server-set columns (updated_at) are current."""
    p = await session.get(Provider, provider_id, populate_existing=True)
    if p is None or not access.sees_at_all(principal, p.status, p.id, p.municipality, p.submitted_by):
        raise not_found(NOT_FOUND)
    return p


def _listing(principal: Principal | None) -> Select:
    query = select(Provider)
    scope = access.listing_scope(principal)
    if scope == "own_municipality":
        return query.where(or_(Provider.municipality == principal.municipality, Provider.status == APPROVED))
    if scope == "public":
        return query.where(Provider.status == APPROVED)
    return query


async def page(session: AsyncSession, principal: Principal | None, params: PageParams, *, status: str | None,
               municipality: str | None, kind: str | None, q: str | None) -> tuple[list[Provider], int]:
    """One page of the providers `principal` may list, oldest first, and how many there are in all."""
    query = _listing(principal)
    if status is not None:
        query = query.where(Provider.status == status)
    if municipality is not None:
        query = query.where(Provider.municipality == municipality)
    if kind is not None:
        query = query.where(Provider.kind == kind)
    if q:
        like = contains_pattern(q)
        query = query.where(or_(Provider.inn == q, Provider.short_name.ilike(like, escape=ESCAPE),
                                Provider.full_name.ilike(like, escape=ESCAPE)))
    rows, total = await paginate(session, query.order_by(Provider.created_at, Provider.id), params)
    return [r.Provider for r in rows], total


async def _pays(session: AsyncSession, provider_id: uuid.UUID, payer: str | None) -> bool:
    """Whether the payer municipality holds or held an agreement (any year, active or not) with the provider."""
    if payer is None:
        return False
    return await session.scalar(select(exists().where(PaymentAgreement.provider_id == provider_id,
                                                      PaymentAgreement.municipality == payer)))


async def history(session: AsyncSession, provider_id: uuid.UUID, principal: Principal,
                  params: PageParams) -> tuple[list[ProviderChange], int]:
    """One page of the provider's changes, oldest first, and how many there are in all."""
    p = await session.get(Provider, provider_id)
    if p is None or not access.sees_history(principal, p.id, p.municipality, p.submitted_by,
                                            await _pays(session, provider_id, access.payer_operator_of(principal))):
        raise not_found(NOT_FOUND)
    rows, total = await paginate(session, select(ProviderChange).where(ProviderChange.provider_id == provider_id)
                                 .order_by(ProviderChange.id), params)
    return [r.ProviderChange for r in rows], total


async def venues_of(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[Venue]]:
    out: dict[uuid.UUID, list[Venue]] = {i: [] for i in ids}
    if ids:
        rows = (await session.execute(
            select(Venue).where(Venue.provider_id.in_(ids)).order_by(Venue.created_at, Venue.id))).scalars()
        for v in rows:
            out[v.provider_id].append(v)
    return out
