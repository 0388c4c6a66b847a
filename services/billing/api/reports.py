"""The month's reconciliation: the certificates' ledger against billing's invoices."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from pfdo_events.catalog import Month
from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, problem_responses
from services.billing.api.certificates_client import certificates_get
from services.billing.api.schemas import ContractDifference, LedgerMonth, ReconciliationOut
from services.billing.domain.access import DISTRICT_STAFF
from services.billing.domain.statuses import NOT_REQUESTED
from services.billing.queries.reconciliation import invoiced_month

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=API_ERRORS)


@router.get("/reports/reconciliation", response_model=ReconciliationOut, summary="Сверка месяца",
            responses=problem_responses(502, 504), description=(
                "Оператор или администратор района. Сравнивает реестр сертификатов со счетами организаторам "
                "за месяц: списания с сертификатов за этот месяц должны до копейки равняться списаниям в "
                "счетах — в сумме и по каждому договору; каждый расходящийся договор назван в `differences`, "
                "`balanced` — всё сошлось. До выставления счетов (закрытие ещё идёт) списания в счетах ещё "
                "нет, и сверка не сходится. Кроме того — движение реестра за месяц (зачислено, "
                "зарезервировано, возвращено, сгорело), авансы и итоги счетов (к оплате, переносимые долги). "
                "Читает реестр сертификатов с правами вызывающего: если сервис сертификатов недоступен — "
                "502 или 504."))
async def get_reconciliation(month: Annotated[Month, Query(description="месяц, ГГГГ-ММ")], request: Request,
                             rt: Runtime, principal: CurrentPrincipal):
    """Debits must equal invoice charges to the kopeck, contract by contract; every contract
    that differs is named."""
    require_role(principal, *DISTRICT_STAFF)
    ledger = LedgerMonth.model_validate(await certificates_get(request, "/api/v1/reports/ledger", {"month": month}))
    async with rt.sessions() as session:
        billed = await invoiced_month(session, month)
    invoiced_contracts, invoices = billed.invoiced_by_contract, billed.invoices
    debited_contracts = {c.contract_id: c.debited_kop for c in ledger.contracts if c.debited_kop > 0}
    differences = [ContractDifference(contract_id=c, invoiced_kop=invoiced_contracts.get(c, 0),
                                      debited_kop=debited_contracts.get(c, 0))
                   for c in sorted(set(invoiced_contracts) | set(debited_contracts), key=str)
                   if invoiced_contracts.get(c, 0) != debited_contracts.get(c, 0)]
    invoiced = sum(i.charges_kop for i in invoices)
    moved = ledger.moved_kop
    return ReconciliationOut(
        month=month, close_status=billed.close_status or NOT_REQUESTED, credited_kop=moved.get("credit", 0),
        reserved_kop=moved.get("reserve", 0), released_kop=moved.get("release", 0),
        expired_kop=moved.get("expire", 0), debited_kop=ledger.debited_for_month_kop, invoiced_kop=invoiced,
        advanced_kop=billed.advanced_kop, settled_kop=sum(i.settlement_kop for i in invoices),
        payable_kop=sum(max(0, i.settlement_kop) for i in invoices),
        carried_out_kop=sum(min(0, i.settlement_kop) for i in invoices),
        balanced=not differences and invoiced == ledger.debited_for_month_kop, differences=differences)
