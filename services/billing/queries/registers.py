"""A payer's registers (or the whole region's, `payer` None): its contracts with the moment each
offer was signed, and its invoices of a month."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.billing.models import Contract, ContractDocument, Invoice


def _contracts(payer: str | None, status: str | None) -> Select:
    query = (select(Contract, ContractDocument.signed_at)
             .outerjoin(ContractDocument, (ContractDocument.contract_id == Contract.id)
                        & (ContractDocument.kind == "offer")))
    if payer is not None:
        query = query.where(Contract.payer == payer)
    if status is not None:
        query = query.where(Contract.status == status)
    return query.order_by(Contract.number)


async def contract_register(session: AsyncSession, payer: str | None, status: str | None,
                            params: PageParams | None) -> tuple[list[tuple[Contract, datetime | None]], int]:
    """(contract, offer signed at) by number, a page of them or (`params` None) all, and how many in all."""
    query = _contracts(payer, status)
    if params is not None:
        rows, total = await paginate(session, query, params)
        return [tuple(row) for row in rows], total
    rows = [tuple(row) for row in (await session.execute(query)).all()]
    return rows, len(rows)


async def month_invoices(session: AsyncSession, month: str, payer: str | None) -> list[Invoice]:
    """The month's invoices, by payer, provider name and number."""
    query = select(Invoice).where(Invoice.month == month)
    if payer is not None:
        query = query.where(Invoice.payer == payer)
    return list((await session.execute(
        query.order_by(Invoice.payer, Invoice.provider_name, Invoice.number))).scalars().all())
