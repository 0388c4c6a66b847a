"""Attendance: the provider marks, per lesson date, who came; corrections are kept as history."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.catalog import Month
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.calendar import month_of
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from pfdo_kit.pagination import PageQuery
from services.billing.api.schemas import Mark, MarkedLessonOut, MarksIn, RosterLine, RosterPage
from services.billing.domain.access import contract_scope, may_mark_attendance, sees_contract
from services.billing.flows import attendance
from services.billing.models import Contract
from services.billing.queries.attendance import marks_in, roster_within, sees_group, signed_contracts

router = APIRouter(prefix="/api/v1", tags=["attendance"], responses=API_ERRORS)
NOT_FOUND = "Группа не найдена"


async def _group_contracts(session: AsyncSession, group_id: uuid.UUID, principal: Principal) -> list[Contract]:
    contracts = await signed_contracts(session, group_id)
    if not contracts or not sees_contract(principal, contracts[0]):
        raise not_found(NOT_FOUND)
    return contracts


async def _roster(session: AsyncSession, contracts: Sequence[Contract], month: str) -> list[RosterLine]:
    rows = await marks_in(session, contracts, month)
    out = []
    for c in contracts:
        marks = [Mark(lesson_date=a.lesson_date, present=a.present) for a in rows if a.contract_id == c.id]
        out.append(RosterLine(contract_id=c.id, contract_number=c.number, child_id=c.child_id,
                              child_full_name=c.child_full_name,
                              attended=sum(m.present for m in marks), marks=marks))
    return out


@router.post("/groups/{group_id}/attendance", response_model=MarkedLessonOut, summary="Отметить посещение занятия",
             description=(
                 "Отмечает организатор группы: кто пришёл (`present`) и кого не было (`absent`) на занятии "
                 "`lesson_date`; каждый ребёнок — один раз, хотя бы один. Повторная отметка того же дня "
                 "исправляет прежнюю, каждое исправление хранится в истории. Правила: день занятия — по "
                 "расписанию группы и не позже сегодняшнего (будущее занятие или день без занятий — 422 на "
                 "`lesson_date`); ребёнок должен быть зачислен на эту дату — договор подписан не позже дня "
                 "занятия (посещение отмечается только со дня подписания и не раньше начала обучения) и не "
                 "расторгнут до него (иначе 422 на `present[i]`/`absent[i]`); 409 month-closed — месяц уже "
                 "закрыт, его отметки не меняются. Группа без подписанных договоров или чужая — 404; "
                 "не организатору — 403. Ответ — отмеченные дети с их отметками за месяц занятия."))
async def mark_attendance(group_id: uuid.UUID, body: MarksIn, rt: Runtime, clock: CurrentClock,
                          principal: CurrentPrincipal):
    async with rt.sessions() as session, session.begin():
        group = await _group_contracts(session, group_id, principal)
        if not may_mark_attendance(principal):
            raise forbidden()
        marked = await attendance.mark(session, group, body.lesson_date, body.present, body.absent, principal.actor,
                                       clock.today())
        month = month_of(body.lesson_date)
        return MarkedLessonOut(group_id=group_id, lesson_date=body.lesson_date, month=month,
                               marked=await _roster(session, marked, month))


@router.get("/groups/{group_id}/attendance", response_model=RosterPage, summary="Табель группы за месяц",
            description=(
                "Дети группы, зачисленные в этом месяце (договор подписан до конца месяца и не прекращён до его "
                "начала), по номеру договора, с отметками посещения по датам занятий и числом посещённых. "
                "Организатор видит всю свою группу, оператор муниципалитета — детей, за которых платит его "
                "муниципалитет, региональному оператору — 403, администратор — "
                "всех, семья — только своего ребёнка. Группа, в которой вызывающий не видит ни одного "
                "подписанного договора, — 404."))
async def list_group_attendance(group_id: uuid.UUID, month: Annotated[Month, Query(description="месяц, ГГГГ-ММ")],
                                rt: Runtime, principal: CurrentPrincipal, params: PageQuery):
    scope = contract_scope(principal)
    if scope is None:
        raise forbidden()
    async with rt.reads() as session:
        if not await sees_group(session, group_id, scope):
            raise not_found(NOT_FOUND)
        contracts, total = await roster_within(session, group_id, scope, month, params)
        return params.of(RosterPage, await _roster(session, contracts, month), total)
