"""The month's reconciliation: the certificates' ledger against billing's invoices, for one payer
municipality or for the whole region with a breakdown per payer."""
from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, Request

from pfdo_events.catalog import Month
from pfdo_kit.auth import forbidden, require_role
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, problem_responses
from pfdo_kit.municipalities import known
from pfdo_kit.tables import FILE_RESPONSES, FormatQuery, file_response
from services.billing.api.dependencies import Settings
from services.billing.api.report_files import payer_name, reconciliation_table
from services.billing.api.schemas import (
    ContractDifference,
    LedgerMonth,
    PayerReconciliation,
    ProviderReconciliation,
    ReconciliationOut,
)
from services.billing.domain.access import sees_month, sees_region
from services.billing.domain.reconciliation import Side, by_provider, differing
from services.billing.queries.reconciliation import InvoicedMonth, invoiced_month
from services.billing.settings import BillingSettings

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=API_ERRORS)


def reconcile(municipality: str | None, ledger: LedgerMonth, billed: InvoicedMonth) -> PayerReconciliation:
    """Debits minus reversals must equal invoice charges minus corrections to the kopeck, contract
    by contract (`domain.reconciliation`); every contract that differs is named, every provider summed."""
    certs = Side(moved={c.contract_id: c.debited_kop for c in ledger.contracts if c.debited_kop},
                 undone={c.contract_id: c.reversed_kop for c in ledger.contracts if c.reversed_kop})
    bills = Side(moved=billed.invoiced_by_contract, undone=billed.corrected_by_contract)
    differences = [ContractDifference(contract_id=c, contract_number=billed.contract_numbers.get(c),
                                      invoiced_kop=bills.moved.get(c, 0),
                                      corrected_kop=bills.undone.get(c, 0), debited_kop=certs.moved.get(c, 0),
                                      reversed_kop=certs.undone.get(c, 0)) for c in differing(certs, bills)]
    providers = []
    for provider, contracts in sorted(by_provider(billed.provider_of, certs, bills).items(), key=lambda p: str(p[0])):
        (debited, reversed_), (invoiced_p, corrected) = certs.total(contracts), bills.total(contracts)
        providers.append(ProviderReconciliation(provider_id=provider, provider_name=billed.provider_names.get(provider),
                                                invoiced_kop=invoiced_p,
                                                corrections_kop=corrected, debited_kop=debited,
                                                reversed_kop=reversed_,
                                                balanced=debited - reversed_ == invoiced_p - corrected))
    invoices = billed.invoices
    invoiced = sum(i.charges_kop for i in invoices)
    corrections = sum(billed.corrected_by_contract.values())
    moved = ledger.moved_kop
    return PayerReconciliation(
        municipality=municipality, close_status=billed.close_status, credited_kop=moved.get("credit", 0),
        reserved_kop=moved.get("reserve", 0), released_kop=moved.get("release", 0),
        expired_kop=moved.get("expire", 0), debited_kop=ledger.debited_for_month_kop, invoiced_kop=invoiced,
        reversed_kop=ledger.reversed_for_month_kop, corrections_kop=corrections,
        corrections_pending_kop=billed.corrections_pending_kop,
        advanced_kop=billed.advanced_kop, settled_kop=sum(i.settlement_kop for i in invoices),
        payable_kop=sum(max(0, i.settlement_kop) for i in invoices),
        carried_out_kop=sum(min(0, i.settlement_kop) for i in invoices),
        balanced=(not differences and all(p.balanced for p in providers)
                  and invoiced - corrections == ledger.debited_for_month_kop - ledger.reversed_for_month_kop),
        differences=differences, providers=providers)


async def _ledger(request: Request, month: str, municipality: str | None) -> LedgerMonth:
    # Imported at the first reconciliation: its HTTP client (httpx, which brings rich and pygments along,
    # ~5 MB) is needed by no other part of billing.
    from services.billing.api.certificates_client import certificates_get

    params = {"month": month} | ({"municipality": municipality} if municipality else {})
    return LedgerMonth.model_validate(await certificates_get(request, "/api/v1/reports/ledger", params))


async def _reconciled(request: Request, rt, month: str, payers: list[str | None]) -> list[PayerReconciliation]:
    """Each payer's (None: the region's) reconciliation; the certificates' reports are asked at once."""
    ledgers = await asyncio.gather(*(_ledger(request, month, payer) for payer in payers))
    async with rt.snapshots() as session, session.begin():  # every payer's charges and invoices of one moment
        billed = [await invoiced_month(session, month, payer) for payer in payers]
    return [reconcile(payer, ledger, b) for payer, ledger, b in zip(payers, ledgers, billed, strict=True)]


async def _answer(out: ReconciliationOut, fmt: str, settings: BillingSettings):
    """The JSON, or the same as a file: the totals, each provider and each differing contract."""
    if fmt == "json":
        return out
    return await file_response(reconciliation_table(out, settings.municipalities), fmt,
                         f"reconciliation-{out.month}-{out.municipality or 'region'}",
                         f"Сверка {out.month} — {payer_name(settings.municipalities, out.municipality)}")


@router.get("/reports/reconciliation", response_model=ReconciliationOut, summary="Сверка месяца",
            responses={**problem_responses(502, 504), **FILE_RESPONSES}, description=(
                "С `municipality` — сверка одного плательщика: его оператор, региональный оператор или "
                "администратор (оператору другого муниципалитета — 403; неизвестный муниципалитет — 422). Без "
                "`municipality` — сверка всего региона с разбивкой по каждому муниципалитету-плательщику "
                "(`payers`): только региональный оператор и администратор, оператору муниципалитета — 403. "
                "Сравнивает реестр сертификатов (отчёт `GET /reports/ledger` по тому же муниципалитету или по "
                "региону) со счетами организаторам за месяц: списания с сертификатов за этот месяц минус возвраты "
                "по спорам о них должны до копейки равняться списаниям в счетах минус корректировки (те же "
                "возвраты, учтённые расчётами) — в сумме, по каждому организатору (`providers`) и по каждому "
                "договору; каждый расходящийся договор назван в `differences`, `balanced` — всё сошлось (у региона — и у каждого плательщика). "
                "До выставления счетов (закрытие ещё идёт) списания в счетах ещё нет, и сверка не сходится. "
                "Кроме того — движение реестра за месяц (зачислено, зарезервировано, возвращено, сгорело), "
                "авансы и итоги счетов (к оплате, переносимые долги). Читает реестр сертификатов с правами "
                "вызывающего: если сервис сертификатов недоступен — 502 или 504. `format=csv` — файл для русского "
                "Excel (UTF-8 с BOM, разделитель «;»), `format=xlsx` — книга Excel с суммами в рублях: строка итогов, "
                "строка на каждого организатора и на каждый расходящийся договор; у региона — затем то же по "
                "каждому плательщику."))
async def get_reconciliation(month: Annotated[Month, Query(description="месяц, ГГГГ-ММ")], request: Request,
                             rt: Runtime, settings: Settings, principal: CurrentPrincipal,
                             municipality: Annotated[str | None, Query(description=(
                                 "муниципалитет-плательщик (код из GET /api/v1/municipalities); без него — "
                                 "весь регион"), examples=["chegem"])] = None, format: FormatQuery = "json"):
    require_role(principal, "operator", "regional_operator", "admin")
    if municipality is not None:
        known(settings.municipalities, municipality)
        if not sees_month(principal, municipality):
            raise forbidden()
        [payer] = await _reconciled(request, rt, month, [municipality])
        return await _answer(ReconciliationOut(month=month, payers=[], **payer.model_dump()), format, settings)
    if not sees_region(principal):
        raise forbidden()
    region, *payers = await _reconciled(request, rt, month, [None, *(m.code for m in settings.municipalities)])
    data = region.model_dump()
    data["balanced"] = region.balanced and all(p.balanced for p in payers)
    return await _answer(ReconciliationOut(month=month, payers=payers, **data), format, settings)
