"""An account as its owner reads it."""
from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Account
from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found


async def own(session: AsyncSession, principal: Principal) -> Account:
    account = await session.get(Account, uuid.UUID(principal.subject))
    if account is None:
        raise not_found("Учётная запись не найдена")
    return account
