"""The attendance journal: a group's month as a grid — children (by contract) in rows, the month's lesson days
(from the group's weekly schedule and dates) in columns, a checkbox «присутствовал» in each cell a child was
enrolled on. One button saves the whole grid: each lesson day with a change — or ticked «занятие состоялось»,
which saves a lesson nobody came to — is posted once, marking every enrolled child of that day present
(checked) or absent (unchecked); the API's refusals show at their day. Days after today are read only."""
from __future__ import annotations

import asyncio
import calendar
import uuid
from datetime import date

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.provider.common import my_groups, parse_day, staff
from navigator.pages.staff_common import every_page, month_or, this_month, today
from navigator.pages.staff_common import shown as shown_refusal
from navigator.web import api, page, redirect

router = APIRouter(prefix="/provider/attendance")
JOURNAL_FORM_BYTES = 1024 * 1024  # a month of a big group: children × days checkboxes
ENROLLED = ("signed", "terminated")  # the contracts a child could attend under


def _month_within(month: str, group: dict) -> str:
    """The asked month, else the request's month kept within the group's dates (its latest lesson days)."""
    first, last = str(group["starts_on"])[:7], str(group["ends_on"])[:7]
    return min(max(month, first), last)


def lesson_days(group: dict, month: str) -> list[date]:
    """The group's lesson days in the month: its weekly schedule's weekdays between its first and last day."""
    year, number = int(month[:4]), int(month[5:7])
    weekdays = {lesson["weekday"] for lesson in group.get("schedule") or []}
    starts, ends = parse_day(str(group["starts_on"])), parse_day(str(group["ends_on"]))
    days = (date(year, number, d) for d in range(1, calendar.monthrange(year, number)[1] + 1))
    return [d for d in days if d.weekday() in weekdays and (not starts or d >= starts) and (not ends or d <= ends)]


def _shift(month: str, by: int) -> str:
    year, number = int(month[:4]), int(month[5:7]) - 1 + by
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def _enrolled(contract: dict | None, day: date) -> bool:
    """As the API counts it: from the signing (not before the start) to the end or the termination; a contract
    the journal does not know is not counted as enrolled."""
    if contract is None:
        return False
    signed = parse_day(contract.get("signed_on"))
    if signed is None:
        return False
    starts, ends = parse_day(contract.get("starts_on")) or signed, parse_day(contract.get("ends_on"))
    terminated = parse_day(contract.get("terminated_on"))
    end = min(d for d in (ends, terminated) if d) if (ends or terminated) else None
    return max(signed, starts) <= day and (end is None or day <= end)


async def _roster(request: Request, group_id: str, month: str) -> list[dict]:
    try:
        return await every_page(request, f"/groups/{group_id}/attendance", {"month": month})
    except ApiProblem as problem:
        if problem.status == 404:  # no signed contracts in the group yet
            return []
        raise


async def _journal(request: Request, group: dict, month: str) -> tuple[list[date], list[dict]]:
    """The month's lesson days and one row per child: its contract, marks and which days it may be marked
    (enrolled that day and not after today)."""
    roster, *contracts = await asyncio.gather(
        _roster(request, group["id"], month),
        *(every_page(request, "/contracts", {"group_id": group["id"], "status": s}) for s in ENROLLED))
    by_id = {c["id"]: c for found in contracts for c in found}
    now = today(request)
    days = lesson_days(group, month)
    marked = {d for line in roster for d in (parse_day(m["lesson_date"]) for m in line.get("marks") or []) if d}
    days = sorted(set(days) | {d for d in marked if d.strftime("%Y-%m") == month})
    rows = []
    for line in roster:
        marks = {m["lesson_date"][:10]: ("p" if m["present"] else "a") for m in line.get("marks") or []}
        contract = by_id.get(line["contract_id"])
        rows.append({**line, "state": marks,
                     "open": {d.isoformat(): d <= now and _enrolled(contract, d) for d in days}})
    return days, rows


async def _page(request: Request, group_id: str | None, month: str | None, status_code: int = 200, **extra):
    staff(request)
    groups = await my_groups(request)
    group = next((g for g in groups if g["id"] == group_id), None) or (groups[0] if groups else None)
    if group is None:
        return page(request, "provider/attendance.html", status_code, groups=[], group=None, **extra)
    month = month_or(month, "") or _month_within(this_month(request), group)
    days, rows = await _journal(request, group, month)
    held = {d.isoformat() for d in days if any(row["state"].get(d.isoformat()) for row in rows)}
    return page(request, "provider/attendance.html", status_code, groups=groups, group=group, month=month,
                days=days, rows=rows, previous=_shift(month, -1), following=_shift(month, 1), today=today(request),
                held=extra.pop("held", held), errors=extra.pop("errors", {}), checked=extra.pop("checked", None),
                **extra)


@router.get("")
async def journal(request: Request, group: uuid.UUID | None = None, month: str | None = None):
    return await _page(request, str(group) if group else None, month)


@router.post("")
async def save(request: Request):
    staff(request)
    form = await read_form(request, max_bytes=JOURNAL_FORM_BYTES)
    try:
        group_id = str(uuid.UUID(form.get("group", "")))
    except ValueError:
        return redirect("/provider/attendance")
    month = month_or(form.get("month"), "")
    group = await api(request, "GET", f"/groups/{group_id}")
    if not month:
        return redirect(f"/provider/attendance?group={group_id}")
    days, rows = await _journal(request, group, month)
    checked = {name for name, value in form.items() if name.startswith("m.") and value == "on"}
    held = {name[5:] for name, value in form.items() if name.startswith("held.") and value == "on"}
    errors, statuses, saved = {}, set(), 0
    for day in days:
        key = day.isoformat()
        present, absent, changed, marked = [], [], False, False
        for row in rows:
            if not row["open"].get(key):
                continue
            came, before = f"m.{row['child_id']}.{key}" in checked, row["state"].get(key)
            changed = changed or (came and before != "p") or (not came and before == "p")
            marked = marked or before is not None
            (present if came else absent).append(row["child_id"])
        if not present and not absent:
            continue
        if not changed and not (key in held and not marked):  # «занятие состоялось»: nobody came
            continue
        try:
            await api(request, "POST", f"/groups/{group_id}/attendance",
                      json={"lesson_date": key, "present": present, "absent": absent})
            saved += 1
        except ApiProblem as problem:
            if not shown_refusal(problem):
                raise
            statuses.add(problem.status)
            details = [m for m in problem.field_errors().values() if m and m != problem.title]
            errors[key] = "; ".join([problem.title, *details]) if details else problem.title
    if errors:
        problem = "Не все дни сохранены" if saved else "Отметки не сохранены"
        return await _page(request, group_id, month, 409 if 409 in statuses else 422,
                           errors=errors, checked=checked, held=held, problem=problem, saved=saved)
    request.state.session.flash(f"Журнал сохранён: отмечено занятий — {saved}." if saved else "Изменений не было.")
    return redirect(f"/provider/attendance?group={group_id}&month={month}")
