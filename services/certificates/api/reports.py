"""The certificates' reports: its side of the month's reconciliation (what the ledger moved) and the
register of certificates, for one municipality or the whole region."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from pfdo_events.catalog import Month
from pfdo_kit.auth import forbidden
from pfdo_kit.calendar import first_day, next_month
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.municipalities import known
from pfdo_kit.pagination import PageQuery
from pfdo_kit.tables import FILE_RESPONSES, FormatQuery, file_response
from services.certificates.api.dependencies import Settings
from services.certificates.api.register_file import certificates_table
from services.certificates.api.schemas import (
    CertificateRegisterPage,
    CertificateRegisterRow,
    ContractDebit,
    LedgerMonthOut,
    LedgerMunicipalityOut,
    MovedByKind,
)
from services.certificates.domain.access import ledger_report_scope, names_children
from services.certificates.domain.ledger import KINDS, available
from services.certificates.domain.statuses import CertificateStatus
from services.certificates.queries.ledger import month_moves
from services.certificates.queries.register import certificate_register

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
    async with rt.reads() as session:
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


def _register_row(c, child, named: bool) -> CertificateRegisterRow:
    child = child if named else None
    return CertificateRegisterRow(
        id=c.id, number=c.number, child_id=c.child_id, child_full_name=child.full_name if child else None,
        birth_date=child.birth_date if child else None, municipality=c.municipality, status=c.status, kind=c.kind,
        issued_at=c.created_at, closed_at=c.closed_at, credited_kop=c.credited_kop,
        available_kop=available(c.credited_kop, c.expired_kop, c.held_kop, c.debited_kop, c.reversed_kop),
        reserved_kop=c.held_kop, debited_kop=c.debited_kop, reversed_kop=c.reversed_kop)


@router.get(
    "/reports/certificates", response_model=CertificateRegisterPage, responses=FILE_RESPONSES,
    summary="Реестр сертификатов",
    description=(
        "Сертификаты муниципалитета по номеру: ребёнок (ФИО, дата рождения), состояние, вид, когда выдан и закрыт, "
        "деньги (зачислено, свободно, зарезервировано, списано, возвращено). СНИЛС в реестр не входит ни в JSON, ни "
        "в файле. ФИО и дату рождения ребёнка видят только сотрудники муниципалитета сертификата (его оператор и "
        "администратор): региональному оператору они не нужны для его работы и по принципу минимизации "
        "персональных данных детей не выдаются — в JSON null, в файле пустые ячейки; номера сертификатов и "
        "деньги — полностью. Фильтр `status`. JSON — страница `?page=&page_size=`; `format=csv` — файл для русского Excel "
        "(UTF-8 с BOM, разделитель «;», суммы в рублях с десятичной запятой), `format=xlsx` — книга Excel с суммами в рублях; "
        "в файле весь реестр, без страниц, и строка итогов. С municipality — его оператор, региональный оператор "
        "и администратор (оператору другого муниципалитета — 403); без municipality — оператору муниципалитета "
        "его реестр, региональному оператору и администратору — весь регион. Родителю и поставщику — 403. "
        "Муниципалитета нет в установке — 422."))
async def get_certificate_register(principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock, settings: Settings,
                                   params: PageQuery,
                                   municipality: Annotated[str | None, Query(
                                       max_length=40, description="Код муниципалитета; без него — свой или регион",
                                       examples=["chegem"])] = None,
                                   status: Annotated[CertificateStatus | None, Query(
                                       description="состояние сертификата")] = None,
                                   format: FormatQuery = "json"):
    scope = ledger_report_scope(principal, municipality)
    if not scope.allowed:
        raise forbidden()
    if scope.municipality is not None:
        known(settings.municipalities, scope.municipality)
    async with rt.reads() as session:
        rows, total = await certificate_register(session, scope.municipality, status,
                                                 params if format == "json" else None)
    named = names_children(principal, scope.municipality)
    items = [_register_row(c, child, named) for c, child in rows]
    if format == "json":
        return params.of(CertificateRegisterPage, items, total)
    table = certificates_table(items, settings.municipalities, scope.municipality, status, clock.local)
    return await file_response(table, format, f"certificates-{scope.municipality or 'region'}", "Реестр сертификатов")
