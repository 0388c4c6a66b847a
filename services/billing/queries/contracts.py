"""Contracts as the routes read them: one by id, a principal's list, a contract's months."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.access import within
from services.billing.models import Contract, ContractMonth


async def find_contract(session: AsyncSession, contract_id: uuid.UUID, *, lock: bool = False) -> Contract | None:
    return await session.get(Contract, contract_id, with_for_update=lock)


async def contracts_within(session: AsyncSession, scope: dict[str, Any], *, status: str | None,
                           child_id: uuid.UUID | None, group_id: uuid.UUID | None, limit: int,
                           offset: int) -> list[Contract]:
    """The contracts of a scope (`domain.access.contract_scope`), oldest first."""
    query = select(Contract).where(*within(Contract, scope))
    for column, value in ((Contract.status, status), (Contract.child_id, child_id), (Contract.group_id, group_id)):
        if value is not None:
            query = query.where(column == value)
    rows = await session.execute(query.order_by(Contract.created_at, Contract.id).limit(limit).offset(offset))
    return list(rows.scalars())


async def months_of(session: AsyncSession, contract_id: uuid.UUID) -> list[ContractMonth]:
    return list((await session.execute(select(ContractMonth).where(ContractMonth.contract_id == contract_id)
                                       .order_by(ContractMonth.month))).scalars().all())
