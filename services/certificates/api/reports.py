"""The certificates' side of the month's reconciliation: what the ledger moved."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pfdo_events.catalog import Month
from pfdo_kit.auth import require_role
from pfdo_kit.calendar import first_day, next_month
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.certificates.api.schemas import ContractDebit, LedgerMonthOut, MovedByKind
from services.certificates.domain.access import STAFF_ROLES
from services.certificates.domain.ledger import KINDS
from services.certificates.queries.ledger import month_moves

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=API_ERRORS)


@router.get(
    "/reports/ledger", response_model=LedgerMonthOut, summary="Движения по счетам сертификатов за месяц",
    description=(
        "Сторона сертификатов в сверке месяца: сколько двинули записи, сделанные в этом месяце по времени района, "
        "по видам (moved_kop), и по каждому договору — списания и снятия резерва по начислениям этого месяца, "
        "когда бы их ни провели. Только операторы и администратор района; остальным — 403."))
async def get_ledger_month_report(month: Annotated[Month, Query(examples=["2026-09"])], principal: CurrentPrincipal,
                                  rt: Runtime, clock: CurrentClock):
    require_role(principal, *STAFF_ROLES)
    # the month in the district's time: from its first local midnight to the next month's
    starts, ends = clock.start_of(first_day(month)), clock.start_of(first_day(next_month(month)))
    async with rt.sessions() as session:
        moves = await month_moves(session, month, starts, ends)
    return LedgerMonthOut(
        month=month, moved_kop=MovedByKind(**{k: moves.moved_kop.get(k, 0) for k in KINDS}),
        debited_for_month_kop=sum(c.debited_kop for c in moves.contracts),
        contracts=[ContractDebit(contract_id=c.contract_id, debited_kop=c.debited_kop, released_kop=c.released_kop)
                   for c in moves.contracts])
