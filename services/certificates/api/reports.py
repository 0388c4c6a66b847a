"""The certificates' side of the month's reconciliation: what the ledger moved, for one
municipality or the whole region."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pfdo_events.catalog import Month
from pfdo_kit.auth import forbidden
from pfdo_kit.calendar import first_day, next_month
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.municipalities import known
from services.certificates.api.dependencies import Settings
from services.certificates.api.schemas import ContractDebit, LedgerMonthOut, LedgerMunicipalityOut, MovedByKind
from services.certificates.domain.access import ledger_report_scope
from services.certificates.domain.ledger import KINDS
from services.certificates.queries.ledger import month_moves

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=API_ERRORS)


def _by_kind(moved: dict[str, int]) -> MovedByKind:
    return MovedByKind(**{k: moved.get(k, 0) for k in KINDS})


@router.get(
    "/reports/ledger", response_model=LedgerMonthOut, summary="Движения по счетам сертификатов за месяц",
    description=(
        "Сторона сертификатов в сверке месяца: сколько двинули записи, сделанные в этом месяце по времени региона, "
        "по видам (moved_kop), и по каждому договору — списания и снятия резерва по начислениям этого месяца, "
        "когда бы их ни провели, и возвраты по спорам об этих списаниях. С municipality — по сертификатам этого муниципалитета (он плательщик): его "
        "оператор, региональный оператор и администратор; оператору другого муниципалитета — 403. Без "
        "municipality — весь регион с разбивкой by_municipality по каждому муниципалитету (суммы сходятся до "
        "копейки): региональный оператор и администратор; оператору муниципалитета — отчёт его муниципалитета. "
        "Родителю и поставщику — 403. Муниципалитета нет в установке — 422."))
async def get_ledger_month_report(month: Annotated[Month, Query(examples=["2026-09"])], principal: CurrentPrincipal,
                                  rt: Runtime, clock: CurrentClock, settings: Settings,
                                  municipality: Annotated[str | None, Query(
                                      max_length=40, description="Код муниципалитета-плательщика; без него — регион",
                                      examples=["chegem"])] = None):
    scope = ledger_report_scope(principal, municipality)
    if not scope.allowed:
        raise forbidden()
    if scope.municipality is not None:
        known(settings.municipalities, scope.municipality)
    # the month in the region's time: from its first local midnight to the next month's
    starts, ends = clock.start_of(first_day(month)), clock.start_of(first_day(next_month(month)))
    async with rt.sessions() as session:
        moves = await month_moves(session, month, starts, ends, scope.municipality,
                                  [m.code for m in settings.municipalities])
    return LedgerMonthOut(
        month=month, municipality=scope.municipality, moved_kop=_by_kind(moves.moved_kop),
        debited_for_month_kop=moves.debited_for_month_kop, reversed_for_month_kop=moves.reversed_for_month_kop,
        contracts=[ContractDebit(contract_id=c.contract_id, municipality=c.municipality, debited_kop=c.debited_kop,
                                 released_kop=c.released_kop, reversed_kop=c.reversed_kop) for c in moves.contracts],
        by_municipality=[LedgerMunicipalityOut(municipality=m.municipality, moved_kop=_by_kind(m.moved_kop),
                                               debited_for_month_kop=m.debited_for_month_kop,
                                               reversed_for_month_kop=m.reversed_for_month_kop)
                         for m in moves.by_municipality])
