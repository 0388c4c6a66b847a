"""Invoices per provider and month: JSON with its lines, or a CSV / XLSX file."""
from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from pfdo_events.catalog import Month
from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from services.billing.api.invoice_files import as_csv, as_xlsx
from services.billing.api.schemas import InvoiceLine, InvoiceOut, InvoiceWithLines
from services.billing.domain.access import MONEY_READERS, money_scope
from services.billing.models import ChargeRow
from services.billing.queries.invoices import invoice_lines, invoice_within, invoices_within

router = APIRouter(prefix="/api/v1", tags=["invoices"], responses=API_ERRORS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _line(charge: ChargeRow, number: str, title: str) -> InvoiceLine:
    return InvoiceLine(contract_id=charge.contract_id, contract_number=number, program_title=title,
                       certificate_id=charge.certificate_id, planned_lessons=charge.planned_lessons,
                       attended_lessons=charge.attended_lessons, share_kop=charge.share_kop,
                       charged_kop=charge.debited_kop)


@router.get("/invoices", response_model=list[InvoiceOut])
async def list_invoices(rt: Runtime, principal: CurrentPrincipal, month: Annotated[Month | None, Query()] = None,
                        provider_id: uuid.UUID | None = None):
    require_role(principal, *MONEY_READERS)
    async with rt.sessions() as session:
        rows = await invoices_within(session, money_scope(principal), month=month, provider_id=provider_id)
        return [InvoiceOut.model_validate(i) for i in rows]


@router.get("/invoices/{invoice_id}", response_model=InvoiceWithLines,
            responses={200: {"content": {"text/csv": {}, XLSX: {}}}})
async def get_invoice(invoice_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal,
                      format: Annotated[Literal["json", "csv", "xlsx"], Query()] = "json"):
    require_role(principal, *MONEY_READERS)
    async with rt.sessions() as session:
        invoice = await invoice_within(session, money_scope(principal), invoice_id)
        if invoice is None:
            raise not_found("Счёт не найден")
        lines = [_line(*row) for row in await invoice_lines(session, invoice.provider_id, invoice.month)]
    if format == "json":
        return InvoiceWithLines(**InvoiceOut.model_validate(invoice).model_dump(), lines=lines)
    filename = f"invoice-{invoice.month}-{invoice.id}.{format}"
    body, media = (as_csv(invoice, lines), "text/csv; charset=utf-8") if format == "csv" else (as_xlsx(invoice, lines), XLSX)
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
