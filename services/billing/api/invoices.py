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
from pfdo_kit.pagination import PageQuery
from services.billing.api.invoice_files import as_csv, as_xlsx
from services.billing.api.schemas import InvoiceLine, InvoiceOut, InvoicePage, InvoiceWithLines
from services.billing.domain.access import MONEY_READERS, money_scope
from services.billing.models import ChargeRow
from services.billing.queries.invoices import invoice_lines, invoice_within, invoices_within

router = APIRouter(prefix="/api/v1", tags=["invoices"], responses=API_ERRORS)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE = {"schema": {"type": "string", "format": "binary"}}
MONEY_READERS_RU = ("Организатор видит свои счета, оператор — организаторов своего муниципалитета, "
                    "администратор — все; семье — 403.")


def _line(charge: ChargeRow, number: str, title: str) -> InvoiceLine:
    return InvoiceLine(contract_id=charge.contract_id, contract_number=number, program_title=title,
                       certificate_id=charge.certificate_id, planned_lessons=charge.planned_lessons,
                       attended_lessons=charge.attended_lessons, share_kop=charge.share_kop,
                       charged_kop=charge.debited_kop)


@router.get("/invoices", response_model=InvoicePage, summary="Список счетов", description=(
    "Счета организаторам за месяц, по месяцу и номеру. Счёт выставляется один раз на организатора и месяц, "
    "когда месяц закрыт: итог = списания − аванс + перенесённый долг; отрицательный итог переносится "
    "в следующий счёт. " + MONEY_READERS_RU))
async def list_invoices(rt: Runtime, principal: CurrentPrincipal, params: PageQuery,
                        month: Annotated[Month | None, Query(description="месяц, ГГГГ-ММ")] = None,
                        provider_id: uuid.UUID | None = None):
    require_role(principal, *MONEY_READERS)
    async with rt.sessions() as session:
        rows, total = await invoices_within(session, money_scope(principal), params, month=month,
                                            provider_id=provider_id)
        return params.of(InvoicePage, [InvoiceOut.model_validate(i) for i in rows], total)


@router.get("/invoices/{invoice_id}", response_model=InvoiceWithLines, summary="Счёт со строками по договорам",
            responses={200: {"content": {"text/csv": FILE, XLSX: FILE}}}, description=(
                "Счёт и его строки: по каждому договору занятия по плану, посещённые, доля сертификата и "
                "списанное. `format=csv` — файл для русского Excel (UTF-8 с BOM, разделитель «;»), "
                "`format=xlsx` — книга Excel с суммами в рублях. Чужой счёт — 404. " + MONEY_READERS_RU))
async def get_invoice(invoice_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal,
                      format: Annotated[Literal["json", "csv", "xlsx"], Query(description="формат ответа")] = "json"):
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
