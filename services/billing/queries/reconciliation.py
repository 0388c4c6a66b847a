"""Billing's side of the month's reconciliation: the close, the invoices, the advances and
what was invoiced per contract."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.models import Advance, ChargeRow, Invoice
from services.billing.queries.months import month_close


@dataclass(frozen=True)
class InvoicedMonth:
    close_status: str | None  # None: the close was never requested
    invoices: list[Invoice]
    advanced_kop: int
    invoiced_by_contract: dict[uuid.UUID, int]  # debited kopecks of each invoiced contract


async def invoiced_month(session: AsyncSession, month: str) -> InvoicedMonth:
    run = await month_close(session, month)
    invoices = (await session.execute(select(Invoice).where(Invoice.month == month))).scalars().all()
    advanced = await session.scalar(select(func.coalesce(func.sum(Advance.amount_kop), 0))
                                    .where(Advance.month == month))
    invoiced_contracts = dict((await session.execute(
        select(ChargeRow.contract_id, ChargeRow.debited_kop).join(
            Invoice, (Invoice.provider_id == ChargeRow.provider_id) & (Invoice.month == ChargeRow.month))
        .where(ChargeRow.month == month, ChargeRow.debited_kop > 0))).all())
    return InvoicedMonth(run.status if run else None, list(invoices), int(advanced), invoiced_contracts)
