"""Attendance: the provider marks, per lesson date, who came; every mark and correction is
kept as history. A month whose close a child's payer asked for no longer changes that child's
marks (a group may teach children of several payers, each closing its own month)."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.calendar import month_of
from pfdo_kit.context import request_id
from pfdo_kit.errors import conflict, invalid
from services.billing.domain.contracts import enrolled_on, lesson_date_problem
from services.billing.flows.month_close.locks import share_month
from services.billing.models import Attendance, AttendanceChange, Contract, MonthClose


async def mark(session: AsyncSession, group: Sequence[Contract], lesson_date: date, present: Sequence[uuid.UUID],
               absent: Sequence[uuid.UUID], actor: str, today: date) -> list[Contract]:
    """Mark a lesson of a group (its signed contracts); returns the contracts marked, in the
    order given (present first)."""
    weekdays = [lesson["weekday"] for lesson in group[0].weekly_schedule]
    if (problem := lesson_date_problem(lesson_date, today, weekdays)) is not None:
        raise invalid("lesson_date", problem)
    month = month_of(lesson_date)
    by_child = {c.child_id: c for c in group
                if enrolled_on(lesson_date, c.signed_on, c.starts_on, c.ends_on, c.terminated_on)}
    for field, children in (("present", present), ("absent", absent)):
        for i, child in enumerate(children):
            if child not in by_child:
                raise invalid(f"{field}[{i}]", "Ребёнок не зачислен в группу на эту дату")
    payers = {by_child[c].payer for c in (*present, *absent)}
    await share_month(session, month, payers)
    closed = (await session.execute(select(MonthClose.municipality).where(
        MonthClose.month == month, MonthClose.municipality.in_(payers)))).scalars().all()
    if closed:
        raise conflict("month-closed", "Месяц уже закрыт: отметки посещения не меняются", field="lesson_date",
                       detail=f"closed for {', '.join(sorted(closed))}")
    marks = [(by_child[c], True) for c in present] + [(by_child[c], False) for c in absent]
    for contract, came in marks:
        await _mark_one(session, contract, lesson_date, came, actor)
    return [c for c, _ in marks]


async def _mark_one(session: AsyncSession, contract: Contract, lesson_date: date, present: bool, actor: str) -> None:
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
