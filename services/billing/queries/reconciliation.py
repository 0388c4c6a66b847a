"""Billing's side of the month's reconciliation, for one payer or the whole region: the closes,
the invoices, the advances, what was invoiced per contract and the corrections of the month's
debits that disputes gave back."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.billing.domain.statuses import MONTH_CLOSE_STEPS, NOT_REQUESTED
from services.billing.models import (
    Advance,
    AdvancePart,
    ChargeRow,
    Contract,
    ContractMonth,
    Invoice,
    MonthClose,
    Reversal,
)


@dataclass(frozen=True)
class InvoicedMonth:
    close_status: str  # a close's status, or NOT_REQUESTED
    invoices: list[Invoice]
    advanced_kop: int
    invoiced_by_contract: dict[uuid.UUID, int]  # debited kopecks of each invoiced contract
    corrected_by_contract: dict[uuid.UUID, int]  # confirmed reversals of the month's debits, per contract
    corrections_pending_kop: int  # of those, what no invoice has corrected yet
    provider_of: dict[uuid.UUID, uuid.UUID]  # each contract charged in the month: its provider
    provider_names: dict[uuid.UUID, str]  # the providers of those contracts, as their contracts name them
    contract_numbers: dict[uuid.UUID, str]  # those contracts' numbers


def least_advanced(statuses: list[str]) -> str:
    """The region's close status: its least advanced payer's (a payer never asked: not requested)."""
    if not statuses:
        return NOT_REQUESTED
    if NOT_REQUESTED in statuses:
        return NOT_REQUESTED
    return min(statuses, key=MONTH_CLOSE_STEPS.index)


async def _close_status(session: AsyncSession, month: str, payer: str | None) -> str:
    closes = dict((await session.execute(select(MonthClose.municipality, MonthClose.status)
                                         .where(MonthClose.month == month))).all())
    if payer is not None:
        return closes.get(payer, NOT_REQUESTED)
    # The region: every payer that asked, or that has contract shares in the month and did not.
    with_shares = (await session.execute(
        select(Contract.payer).distinct().join(ContractMonth, ContractMonth.contract_id == Contract.id)
        .where(ContractMonth.month == month))).scalars().all()
    return least_advanced([closes.get(p, NOT_REQUESTED) for p in sorted(set(closes) | set(with_shares))])


async def invoiced_month(session: AsyncSession, month: str, payer: str | None) -> InvoicedMonth:
    """The month of one payer, or of the region (`payer` None)."""
    invoices = select(Invoice).where(Invoice.month == month)
    advanced = (select(func.coalesce(func.sum(AdvancePart.amount_kop), 0))
                .join(Advance, Advance.id == AdvancePart.advance_id).where(Advance.month == month))
    lines = (select(ChargeRow.contract_id, ChargeRow.debited_kop).join(
        Invoice, (Invoice.provider_id == ChargeRow.provider_id) & (Invoice.payer == ChargeRow.payer)
        & (Invoice.month == ChargeRow.month)).where(ChargeRow.month == month, ChargeRow.debited_kop > 0))
    corrections = (select(Reversal.contract_id, func.sum(Reversal.amount_kop),
                          func.coalesce(func.sum(Reversal.amount_kop).filter(Reversal.invoice_id.is_(None)), 0))
                   .where(Reversal.month == month, Reversal.confirmed_at.is_not(None)).group_by(Reversal.contract_id))
    providers = (select(ChargeRow.contract_id, ChargeRow.provider_id, Contract.number, Contract.provider_name)
                 .join(Contract, Contract.id == ChargeRow.contract_id).where(ChargeRow.month == month))
    if payer is not None:
        invoices = invoices.where(Invoice.payer == payer)
        advanced = advanced.where(AdvancePart.payer == payer)
        lines = lines.where(ChargeRow.payer == payer)
        corrections = corrections.where(Reversal.payer == payer)
        providers = providers.where(ChargeRow.payer == payer)
    corrected = (await session.execute(corrections)).all()
    charged = (await session.execute(providers)).all()
    return InvoicedMonth(
        close_status=await _close_status(session, month, payer),
        invoices=list((await session.execute(invoices.order_by(Invoice.number))).scalars().all()),
        advanced_kop=int(await session.scalar(advanced)),
        invoiced_by_contract=dict((await session.execute(lines)).all()),
        corrected_by_contract={contract: int(kop) for contract, kop, _ in corrected},
        corrections_pending_kop=sum(int(pending) for _, _, pending in corrected),
        provider_of={contract: provider for contract, provider, _, _ in charged},
        provider_names={provider: name for _, provider, _, name in charged},
        contract_numbers={contract: number for contract, _, number, _ in charged})
