"""Accounts as their owner reads them, and the admin's list."""
from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.domain import access
from gateway.models import Account
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import not_found
from pfdo_kit.pagination import PageParams, paginate
from pfdo_kit.text_match import ESCAPE, contains_pattern


async def own(session: AsyncSession, principal: Principal) -> Account:
    account = await session.get(Account, uuid.UUID(principal.subject))
    if account is None:
        raise not_found("Учётная запись не найдена")
    return account


async def page(session: AsyncSession, principal: Principal, params: PageParams, role: str | None,
               q: str | None) -> tuple[list[Account], int]:
    """A page of accounts, newest first, for an admin; `q`: part of the e-mail or the name."""
    if not access.manages_accounts(principal):
        raise forbidden()
    query = select(Account)
    if role is not None:
        query = query.where(Account.role == role)
    if q and q.strip():
        like = contains_pattern(q.strip())
        query = query.where(or_(Account.email.ilike(like, escape=ESCAPE), Account.full_name.ilike(like, escape=ESCAPE)))
    rows, total = await paginate(session, query.order_by(Account.created_at.desc(), Account.id.desc()), params)
    return [row.Account for row in rows], total
