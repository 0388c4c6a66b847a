"""The debits from certificates, as the family sees them: each charge with its contract."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.models import ChargeRow, Contract


async def debits_within(session: AsyncSession, scope: dict[str, Any], params: PageParams, *,
                        child_id: uuid.UUID | None,
                        contract_id: uuid.UUID | None) -> tuple[list[tuple[ChargeRow, Contract]], int]:
    """A page of (charge, contract) of the scope's contracts (`domain.access.contract_scope`) that
    debited money, newest month first (a contract has one charge a month), and their total."""
    query = (select(ChargeRow, Contract).join(Contract, Contract.id == ChargeRow.contract_id)
             .where(*within(Contract, scope), ChargeRow.debited_kop > 0))
    if child_id is not None:
        query = query.where(Contract.child_id == child_id)
    if contract_id is not None:
        query = query.where(Contract.id == contract_id)
    rows, total = await paginate(session, query.order_by(ChargeRow.month.desc(), Contract.number), params)
    return [(charge, contract) for charge, contract in rows], total
