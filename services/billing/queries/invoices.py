"""Invoices as a principal reads them, and an invoice's lines."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.domain.access import within
from services.billing.models import ChargeRow, Contract, Invoice, Reversal


async def invoices_within(session: AsyncSession, scope: dict[str, Any], params: PageParams, *, month: str | None,
                          provider_id: uuid.UUID | None, payer: str | None = None) -> tuple[list[Invoice], int]:
    """A page of the invoices of a scope (`domain.access.money_scope`), by month and number, and their total."""
    query = select(Invoice).where(*within(Invoice, scope))
    if month:
        query = query.where(Invoice.month == month)
    if provider_id:
        query = query.where(Invoice.provider_id == provider_id)
    if payer:
        query = query.where(Invoice.payer == payer)
    rows, total = await paginate(session, query.order_by(Invoice.month, Invoice.number), params)
    return [invoice for invoice, in rows], total


async def invoice_within(session: AsyncSession, scope: dict[str, Any], invoice_id: uuid.UUID) -> Invoice | None:
    return (await session.execute(select(Invoice).where(*within(Invoice, scope))
                                  .where(Invoice.id == invoice_id))).scalar()


async def invoice_lines(session: AsyncSession, invoice: Invoice) -> list[tuple[ChargeRow, str, str]]:
    """(charge, contract number, program title) of the invoice's provider, payer and month that debited money."""
    rows = (await session.execute(
        select(ChargeRow, Contract.number, Contract.program_title).join(Contract, Contract.id == ChargeRow.contract_id)
        .where(ChargeRow.provider_id == invoice.provider_id, ChargeRow.payer == invoice.payer,
               ChargeRow.month == invoice.month, ChargeRow.debited_kop > 0)
        .order_by(Contract.number))).all()
    return [(charge, number, title) for charge, number, title in rows]


async def invoice_corrections(session: AsyncSession, invoice: Invoice) -> list[tuple[Reversal, str]]:
    """(reversal, contract number) of the reversals the invoice corrected, by contract number and month."""
    rows = (await session.execute(
        select(Reversal, Contract.number).join(Contract, Contract.id == Reversal.contract_id)
        .where(Reversal.invoice_id == invoice.id).order_by(Contract.number, Reversal.month, Reversal.created_at))).all()
    return [(reversal, number) for reversal, number in rows]
