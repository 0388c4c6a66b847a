"""A payer's registers for its staff: the contracts (реестр договоров) and a month's payments to
providers (реестр платежей), as JSON or as a file for accountants."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pfdo_events.catalog import Month
from pfdo_kit.auth import Principal, forbidden, require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.municipalities import known
from pfdo_kit.pagination import PageQuery
from pfdo_kit.tables import FILE_RESPONSES, FormatQuery, file_response
from services.billing.api.dependencies import Settings
from services.billing.api.invoices import invoice_out
from services.billing.api.report_files import contracts_table, payer_name, payments_table
from services.billing.api.schemas import ContractRegisterPage, ContractRegisterRow, PaymentsOut, PaymentTotals
from services.billing.domain.access import names_children, report_payer
from services.billing.domain.contracts import held_kop
from services.billing.domain.statuses import ContractStatus
from services.billing.queries.registers import contract_register, month_invoices
from services.billing.settings import BillingSettings

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=API_ERRORS)
WHO = ("Оператор муниципалитета — реестр своего муниципалитета (без `municipality` — тоже своего; другого "
       "муниципалитета — 403), региональный оператор и администратор — любого, без `municipality` — всего "
       "региона; семье и организатору — 403. Неизвестный муниципалитет — 422 на `municipality`.")
FILES = ("`format=csv` — файл для русского Excel (UTF-8 с BOM, разделитель «;», суммы в рублях с десятичной запятой), "
         "`format=xlsx` — книга Excel с суммами в рублях; в файле весь реестр, без страниц, и строка итогов.")
MunicipalityQuery = Annotated[str | None, Query(max_length=40, description=(
    "муниципалитет-плательщик (код из GET /api/v1/municipalities); без него — свой (оператор) или весь регион"),
    examples=["chegem"])]


def _payer(principal: Principal, settings: BillingSettings, municipality: str | None) -> str | None:
    """Whose register the caller reads (None: the region's), or 403/422."""
    require_role(principal, "operator", "regional_operator", "admin")
    if municipality is not None:
        known(settings.municipalities, municipality)
    allowed, payer = report_payer(principal, municipality)
    if not allowed:
        raise forbidden()
    return payer


def _names(settings: BillingSettings, payer: str | None, what: str, month: str = "") -> tuple[str, str]:
    """The file's ASCII stem and its Russian name."""
    whose = payer or "region"
    return f"{what}-{month + '-' if month else ''}{whose}", payer_name(settings.municipalities, payer)


@router.get("/reports/contracts", response_model=ContractRegisterPage, responses=FILE_RESPONSES,
            summary="Реестр договоров плательщика", description=(
                "Договоры, за которые платит муниципалитет (муниципалитет сертификата ребёнка), по номеру: статус, "
                "ребёнок и номер сертификата (как их назвал реестр сертификатов при резервировании), организатор, "
                "программа, группа, срок, деньги сертификата под договор и когда он подписан. Фильтр `status`. "
                "ФИО ребёнка видят только сотрудники муниципалитета-плательщика (его оператор и администратор): "
                "региональному оператору оно не нужно для его работы и по принципу минимизации персональных данных "
                "детей не выдаётся — в JSON null, в файле пустая ячейка; номера договоров и сертификатов и деньги — "
                "полностью. JSON — страница `?page=&page_size=`. " + FILES + " " + WHO))
async def get_contract_register(rt: Runtime, settings: Settings, clock: CurrentClock, principal: CurrentPrincipal,
                                params: PageQuery, municipality: MunicipalityQuery = None,
                                status: Annotated[ContractStatus | None, Query(description="статус договора")] = None,
                                format: FormatQuery = "json"):
    payer = _payer(principal, settings, municipality)
    async with rt.reads() as session:
        rows, total = await contract_register(session, payer, status, params if format == "json" else None)
    named = names_children(principal, payer)
    items = [ContractRegisterRow(
        id=c.id, number=c.number, status=c.status, payer=c.payer, child_id=c.child_id,
        child_full_name=c.child_full_name if named else None, certificate_id=c.certificate_id, certificate_number=c.certificate_number,
        provider_id=c.provider_id, provider_name=c.provider_name, program_title=c.program_title,
        group_id=c.group_id, group_name=c.group_name, starts_on=c.starts_on, ends_on=c.ends_on,
        reserved_kop=held_kop(c.reserved_kop, c.released_kop, c.charged_kop), charged_kop=c.charged_kop,
        released_kop=c.released_kop, signed_on=c.signed_on, signed_at=signed_at) for c, signed_at in rows]
    if format == "json":
        return params.of(ContractRegisterPage, items, total)
    stem, whose = _names(settings, payer, "contracts")
    return await file_response(contracts_table(items, settings.municipalities, payer, status, clock.local), format,
                         stem, f"Реестр договоров — {whose}")


@router.get("/reports/payments", response_model=PaymentsOut, responses=FILE_RESPONSES,
            summary="Реестр платежей организаторам за месяц", description=(
                "Счета организаторов плательщику за месяц, по одному на организатора (по плательщику, названию "
                "организатора и номеру счёта): списания, аванс, перенесённый долг, корректировки и итог к расчёту "
                "(как в GET /invoices), и итоги: сколько к оплате организаторам и чьи долги переносятся. Счета "
                "появляются, когда плательщик закрыл месяц. " + FILES + " " + WHO))
async def get_payments(month: Annotated[Month, Query(description="месяц, ГГГГ-ММ", examples=["2026-09"])],
                       rt: Runtime, settings: Settings, clock: CurrentClock, principal: CurrentPrincipal,
                       municipality: MunicipalityQuery = None, format: FormatQuery = "json"):
    payer = _payer(principal, settings, municipality)
    async with rt.reads() as session:
        invoices = await month_invoices(session, month, payer)
    settled = [i.settlement_kop for i in invoices]
    out = PaymentsOut(month=month, municipality=payer, items=[invoice_out(i, settings) for i in invoices],
                      totals=PaymentTotals(
                          invoices=len(invoices), charges_kop=sum(i.charges_kop for i in invoices),
                          advance_kop=sum(i.advance_kop for i in invoices),
                          carried_in_kop=sum(i.carried_in_kop for i in invoices),
                          corrections_kop=sum(i.corrections_kop for i in invoices), settlement_kop=sum(settled),
                          payable_kop=sum(max(0, s) for s in settled), carried_out_kop=sum(min(0, s) for s in settled)))
    if format == "json":
        return out
    stem, whose = _names(settings, payer, "payments", month)
    return await file_response(payments_table(out, settings.municipalities, clock.local), format, stem,
                         f"Реестр платежей {month} — {whose}")
