"""Invoices as a principal reads them, and an invoice's lines."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.access import within
from services.billing.models import ChargeRow, Contract, Invoice


async def invoices_within(session: AsyncSession, scope: dict[str, Any], *, month: str | None,
                          provider_id: uuid.UUID | None) -> list[Invoice]:
    """The invoices of a scope (`domain.access.money_scope`), by month and number."""
    query = select(Invoice).where(*within(Invoice, scope))
    if month:
        query = query.where(Invoice.month == month)
    if provider_id:
        query = query.where(Invoice.provider_id == provider_id)
    return list((await session.execute(query.order_by(Invoice.month, Invoice.number))).scalars())


async def invoice_within(session: AsyncSession, scope: dict[str, Any], invoice_id: uuid.UUID) -> Invoice | None:
    return (await session.execute(select(Invoice).where(*within(Invoice, scope))
                                  .where(Invoice.id == invoice_id))).scalar()


async def invoice_lines(session: AsyncSession, provider_id: uuid.UUID,
                        month: str) -> list[tuple[ChargeRow, str, str]]:
    """(charge, contract number, program title) of the provider's month that debited money."""
    rows = (await session.execute(
        select(ChargeRow, Contract.number, Contract.program_title).join(Contract, Contract.id == ChargeRow.contract_id)
        .where(ChargeRow.provider_id == provider_id, ChargeRow.month == month, ChargeRow.debited_kop > 0)
        .order_by(Contract.number))).all()
    return [(charge, number, title) for charge, number, title in rows]
