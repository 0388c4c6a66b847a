"""Invoices per provider, payer and month: JSON with its lines, or a CSV / XLSX file."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from pfdo_events.catalog import Month
from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from pfdo_kit.pagination import PageQuery
from pfdo_kit.tables import FILE_RESPONSES, MEDIA, FormatQuery, content_disposition
from services.billing.api.dependencies import Settings
from services.billing.api.invoice_files import as_csv, as_xlsx
from services.billing.api.report_files import payer_name
from services.billing.api.schemas import InvoiceCorrection, InvoiceLine, InvoiceOut, InvoicePage, InvoiceWithLines
from services.billing.domain.access import MONEY_READERS, money_scope
from services.billing.models import ChargeRow, Invoice
from services.billing.queries.invoices import invoice_corrections, invoice_lines, invoice_within, invoices_within
from services.billing.settings import BillingSettings

router = APIRouter(prefix="/api/v1", tags=["invoices"], responses=API_ERRORS)
MONEY_READERS_RU = ("Организатор видит свои счета всем плательщикам, оператор муниципалитета — счета своему "
                    "муниципалитету, региональный оператор и администратор — все; семье — 403.")


def invoice_out(invoice: Invoice, settings: BillingSettings) -> InvoiceOut:
    fields = {name: getattr(invoice, name) for name in InvoiceOut.model_fields if name != "payer_name"}
    return InvoiceOut(**fields, payer_name=payer_name(settings.municipalities, invoice.payer))


def _line(charge: ChargeRow, number: str, title: str) -> InvoiceLine:
    return InvoiceLine(contract_id=charge.contract_id, contract_number=number, program_title=title,
                       certificate_id=charge.certificate_id, planned_lessons=charge.planned_lessons,
                       attended_lessons=charge.attended_lessons, share_kop=charge.share_kop,
                       charged_kop=charge.debited_kop)


@router.get("/invoices", response_model=InvoicePage, summary="Список счетов", description=(
    "Счета организаторов плательщикам за месяц, по месяцу и номеру. Счёт выставляется один раз на организатора, "
    "муниципалитет-плательщик и месяц, когда плательщик закрыл месяц: итог = списания по сертификатам этого "
    "плательщика − его часть аванса + перенесённый долг перед ним − корректировки (возвраты на сертификаты по "
    "спорам о прошлых списаниях, ещё не учтённые); отрицательный итог переносится в следующий "
    "счёт этому же плательщику. Фильтры: месяц, организатор, плательщик. " + MONEY_READERS_RU))
async def list_invoices(rt: Runtime, settings: Settings, principal: CurrentPrincipal, params: PageQuery,
                        month: Annotated[Month | None, Query(description="месяц, ГГГГ-ММ")] = None,
                        provider_id: uuid.UUID | None = None,
                        payer: Annotated[str | None, Query(description="муниципалитет-плательщик",
                                                           examples=["chegem"])] = None):
    require_role(principal, *MONEY_READERS)
    async with rt.reads() as session:
        rows, total = await invoices_within(session, money_scope(principal), params, month=month,
                                            provider_id=provider_id, payer=payer)
        return params.of(InvoicePage, [invoice_out(i, settings) for i in rows], total)


@router.get("/invoices/{invoice_id}", response_model=InvoiceWithLines, summary="Счёт со строками по договорам",
            responses=FILE_RESPONSES, description=(
                "Счёт плательщику и его строки: по каждому договору этого плательщика занятия по плану, "
                "посещённые, доля сертификата и списанное; корректировки — возвраты по спорам, которые учёл счёт. `format=csv` — файл для русского Excel (UTF-8 с BOM, "
                "разделитель «;»), `format=xlsx` — книга Excel с суммами в рублях; в заголовке файла — "
                "плательщик. Чужой счёт — 404. " + MONEY_READERS_RU))
async def get_invoice(invoice_id: uuid.UUID, rt: Runtime, settings: Settings, principal: CurrentPrincipal,
                      format: FormatQuery = "json"):
    require_role(principal, *MONEY_READERS)
    async with rt.reads() as session:
        invoice = await invoice_within(session, money_scope(principal), invoice_id)
        if invoice is None:
            raise not_found("Счёт не найден")
        lines = [_line(*row) for row in await invoice_lines(session, invoice)]
        corrections = [InvoiceCorrection(reversal_id=r.id, dispute_id=r.dispute_id, contract_id=r.contract_id,
                                         contract_number=number, month=r.month, amount_kop=r.amount_kop)
                       for r, number in await invoice_corrections(session, invoice)]
    out = invoice_out(invoice, settings)
    if format == "json":
        return InvoiceWithLines(**out.model_dump(), lines=lines, corrections=corrections)
    body = await run_in_threadpool(as_csv if format == "csv" else as_xlsx, out, lines)
    return Response(body, media_type=MEDIA[format], headers={
        "Content-Disposition": content_disposition(f"invoice-{invoice.month}-{invoice.id}.{format}")})
