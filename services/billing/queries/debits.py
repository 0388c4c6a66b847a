"""The debits from certificates, as the family sees them: each charge with its contract, the rule
its month was closed by, and its dispute if there is one."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.models import ChargeRow, Contract, Dispute, MonthClose


async def debits_within(session: AsyncSession, scope: dict[str, Any], params: PageParams, *,
                        child_id: uuid.UUID | None,
                        contract_id: uuid.UUID | None) -> tuple[list[tuple[ChargeRow, Contract, str, Dispute | None]], int]:
    """A page of (charge, contract, the month close's rule, dispute) of the scope's contracts
    (`domain.access.contract_scope`) that debited money, newest month first (a contract has one
    charge a month), and their total."""
    query = (select(ChargeRow, Contract, MonthClose.rule, Dispute)
             .join(Contract, Contract.id == ChargeRow.contract_id)
             .join(MonthClose, (MonthClose.month == ChargeRow.month) & (MonthClose.municipality == ChargeRow.payer))
             .outerjoin(Dispute, Dispute.charge_id == ChargeRow.id)
             .where(*within(Contract, scope), ChargeRow.debited_kop > 0))
    if child_id is not None:
        query = query.where(Contract.child_id == child_id)
    if contract_id is not None:
        query = query.where(Contract.id == contract_id)
    rows, total = await paginate(session, query.order_by(ChargeRow.month.desc(), Contract.number), params)
    return [(charge, contract, rule, dispute) for charge, contract, rule, dispute in rows], total
