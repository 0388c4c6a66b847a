"""Attendance: the provider marks, per lesson date, who came; corrections are kept as history."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from pfdo_events.catalog import Month
from pfdo_kit.auth import Principal, current_principal, forbidden
from pfdo_kit.context import request_id
from pfdo_kit.errors import API_ERRORS, conflict, invalid, not_found
from services.billing.api.access import sees_contract, today
from services.billing.domain.contracts import enrolled_on, lesson_date_problem, month_bounds, month_of
from services.billing.models import Attendance, AttendanceChange, Contract, MonthClose
from services.billing.month_close.locks import share_month

router = APIRouter(prefix="/api/v1", tags=["attendance"], responses=API_ERRORS)
NOT_FOUND = "Группа не найдена"


class MarksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lesson_date: date
    present: list[uuid.UUID] = Field(default=[], max_length=500, description="дети (child_id), которые пришли")
    absent: list[uuid.UUID] = Field(default=[], max_length=500, description="дети, которых не было")

    @model_validator(mode="after")
    def _each_child_once(self) -> "MarksIn":
        both = self.present + self.absent
        if not both:
            raise ValueError("Отметьте хотя бы одного ребёнка")
        if len(set(both)) != len(both):
            raise ValueError("Каждый ребёнок отмечается один раз: либо пришёл, либо нет")
        return self


class Mark(BaseModel):
    lesson_date: date
    present: bool


class RosterLine(BaseModel):
    contract_id: uuid.UUID
    contract_number: str
    child_id: uuid.UUID
    attended: int
    marks: list[Mark]


async def _group_contracts(session, group_id: uuid.UUID, principal: Principal) -> list[Contract]:
    query = select(Contract).where(Contract.group_id == group_id, Contract.signed_on.is_not(None)).order_by(Contract.id)
    contracts = (await session.execute(query)).scalars().all()
    if not contracts or not sees_contract(principal, contracts[0]):
        raise not_found(NOT_FOUND)
    return list(contracts)


@router.post("/groups/{group_id}/attendance", response_model=list[RosterLine], summary="Отметить посещение занятия")
async def mark(group_id: uuid.UUID, body: MarksIn, request: Request,
               principal: Annotated[Principal, Depends(current_principal)]):
    rt, day = request.app.state.runtime, today(request)
    month = month_of(body.lesson_date)
    async with rt.sessions() as session, session.begin():
        contracts = await _group_contracts(session, group_id, principal)
        if principal.role != "provider":
            raise forbidden()
        weekdays = [lesson["weekday"] for lesson in contracts[0].weekly_schedule]
        if (problem := lesson_date_problem(body.lesson_date, day, weekdays)) is not None:
            raise invalid("lesson_date", problem)
        await share_month(session, month)
        if await session.get(MonthClose, month) is not None:
            raise conflict("month-closed", "Месяц уже закрыт: отметки посещения не меняются", field="lesson_date")
        by_child = {c.child_id: c for c in contracts
                    if enrolled_on(body.lesson_date, c.signed_on, c.starts_on, c.ends_on, c.terminated_on)}
        for field, children in (("present", body.present), ("absent", body.absent)):
            for i, child in enumerate(children):
                if child not in by_child:
                    raise invalid(f"{field}[{i}]", "Ребёнок не зачислен в группу на эту дату")
        marks = [(by_child[c], True) for c in body.present] + [(by_child[c], False) for c in body.absent]
        for contract, present in marks:
            await _mark_one(session, contract, body.lesson_date, present, principal.actor)
        return await _roster(session, [c for c, _ in marks], month)


async def _mark_one(session, contract: Contract, lesson_date: date, present: bool, actor: str) -> None:
    before = await session.get(Attendance, (contract.id, lesson_date), with_for_update=True)
    if before is not None and before.present == present:
        return
    await session.execute(insert(Attendance).values(
        contract_id=contract.id, lesson_date=lesson_date, present=present, group_id=contract.group_id, marked_by=actor,
    ).on_conflict_do_update(index_elements=[Attendance.contract_id, Attendance.lesson_date], set_=dict(
        present=present, marked_by=actor, marked_at=func.now(),
        version=Attendance.version + 1)))
    session.add(AttendanceChange(contract_id=contract.id, lesson_date=lesson_date, present=present,
                                 was_present=before.present if before else None, marked_by=actor,
                                 request_id=request_id.get()))


async def _roster(session, contracts: list[Contract], month: str) -> list[RosterLine]:
    starts, ends = month_bounds(month)
    rows = (await session.execute(select(Attendance).where(
        Attendance.contract_id.in_([c.id for c in contracts]), Attendance.lesson_date.between(starts, ends))
        .order_by(Attendance.lesson_date))).scalars().all()
    out = []
    for c in contracts:
        marks = [Mark(lesson_date=a.lesson_date, present=a.present) for a in rows if a.contract_id == c.id]
        out.append(RosterLine(contract_id=c.id, contract_number=c.number, child_id=c.child_id,
                              attended=sum(m.present for m in marks), marks=marks))
    return out


@router.get("/groups/{group_id}/attendance", response_model=list[RosterLine])
async def month_roster(group_id: uuid.UUID, month: Annotated[Month, Query()], request: Request,
                       principal: Annotated[Principal, Depends(current_principal)]):
    starts, ends = month_bounds(month)
    async with request.app.state.runtime.sessions() as session:
        contracts = [c for c in await _group_contracts(session, group_id, principal)
                     if c.signed_on <= ends and (c.terminated_on or c.ends_on) >= starts]
        return await _roster(session, contracts, month)
