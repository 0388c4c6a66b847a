"""Attendance: the provider marks, per lesson date, who came; corrections are kept as history."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.catalog import Month
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.calendar import first_day, last_day, month_of
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from services.billing.api.schemas import Mark, MarksIn, RosterLine
from services.billing.domain.access import may_mark_attendance, sees_contract
from services.billing.flows import attendance
from services.billing.models import Contract
from services.billing.queries.attendance import marks_in, signed_contracts

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
                              attended=sum(m.present for m in marks), marks=marks))
    return out


@router.post("/groups/{group_id}/attendance", response_model=list[RosterLine], summary="Отметить посещение занятия")
async def mark(group_id: uuid.UUID, body: MarksIn, rt: Runtime, clock: CurrentClock, principal: CurrentPrincipal):
    async with rt.sessions() as session, session.begin():
        group = await _group_contracts(session, group_id, principal)
        if not may_mark_attendance(principal):
            raise forbidden()
        marked = await attendance.mark(session, group, body.lesson_date, body.present, body.absent, principal.actor,
                                       clock.today())
        return await _roster(session, marked, month_of(body.lesson_date))


@router.get("/groups/{group_id}/attendance", response_model=list[RosterLine])
async def month_roster(group_id: uuid.UUID, month: Annotated[Month, Query()], rt: Runtime,
                       principal: CurrentPrincipal):
    starts, ends = first_day(month), last_day(month)
    async with rt.sessions() as session:
        contracts = [c for c in await _group_contracts(session, group_id, principal)
                     if c.signed_on <= ends and (c.terminated_on or c.ends_on) >= starts]
        return await _roster(session, contracts, month)
