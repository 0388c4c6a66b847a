"""Invoices per provider and month: JSON with its lines, or a CSV / XLSX file."""
from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.catalog import Month
from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from services.billing.api.invoice_files import as_csv, as_xlsx
from services.billing.api.schemas import InvoiceLine, InvoiceOut, InvoiceWithLines
from services.billing.domain.access import MONEY_READERS, money_scope, within
from services.billing.models import ChargeRow, Contract, Invoice

router = APIRouter(prefix="/api/v1", tags=["invoices"], responses=API_ERRORS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def invoice_lines(session: AsyncSession, provider_id: uuid.UUID, month: str) -> list[InvoiceLine]:
    rows = (await session.execute(
        select(ChargeRow, Contract.number, Contract.program_title).join(Contract, Contract.id == ChargeRow.contract_id)
        .where(ChargeRow.provider_id == provider_id, ChargeRow.month == month, ChargeRow.debited_kop > 0)
        .order_by(Contract.number))).all()
    return [InvoiceLine(contract_id=c.contract_id, contract_number=number, program_title=title,
                        certificate_id=c.certificate_id, planned_lessons=c.planned_lessons,
                        attended_lessons=c.attended_lessons, share_kop=c.share_kop, charged_kop=c.debited_kop)
            for c, number, title in rows]


@router.get("/invoices", response_model=list[InvoiceOut])
async def list_invoices(rt: Runtime, principal: CurrentPrincipal, month: Annotated[Month | None, Query()] = None,
                        provider_id: uuid.UUID | None = None):
    require_role(principal, *MONEY_READERS)
    query = select(Invoice).where(*within(Invoice, money_scope(principal)))
    if month:
        query = query.where(Invoice.month == month)
    if provider_id:
        query = query.where(Invoice.provider_id == provider_id)
    async with rt.sessions() as session:
        rows = await session.execute(query.order_by(Invoice.month, Invoice.number))
        return [InvoiceOut.model_validate(i) for i in rows.scalars()]


@router.get("/invoices/{invoice_id}", response_model=InvoiceWithLines,
            responses={200: {"content": {"text/csv": {}, XLSX: {}}}})
async def get_invoice(invoice_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal,
                      format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json"):
    require_role(principal, *MONEY_READERS)
    async with rt.sessions() as session:
        invoice = (await session.execute(select(Invoice).where(*within(Invoice, money_scope(principal)))
                                         .where(Invoice.id == invoice_id))).scalar()
        if invoice is None:
            raise not_found("Счёт не найден")
        lines = await invoice_lines(session, invoice.provider_id, invoice.month)
    if format == "json":
        return InvoiceWithLines(**InvoiceOut.model_validate(invoice).model_dump(), lines=lines)
    filename = f"invoice-{invoice.month}-{invoice.id}.{format}"
    body, media = (as_csv(invoice, lines), "text/csv; charset=utf-8") if format == "csv" else (as_xlsx(invoice, lines), XLSX)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
