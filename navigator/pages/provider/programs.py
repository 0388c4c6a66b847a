"""The provider's programs: the list by status, a new program with its modules, editing (modules only while
a draft), publishing and closing enrollment to the whole program, its groups with free seats, adding a group
and closing or reopening one group's enrollment."""
from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, Request

from navigator.forms import Form, read_form
from navigator.gateway import ApiProblem
from navigator.pages.provider.common import as_int, provider_of, renumbered, staff
from navigator.pages.staff_common import kopecks, page_number, rubles_input, status_of
from navigator.pages.staff_common import shown as shown_refusal
from navigator.texts import FREE_REGISTERS, PROGRAM_STATUS
from navigator.web import api, page, redirect

router = APIRouter(prefix="/provider")

MODULE_ROWS = 3  # a new program's empty rows
LESSON_ROWS = 4  # a new group's empty rows
MAX_MODULES = 20
MAX_LESSONS = 21  # three lessons a day, every day
DESCRIPTIVE = ("title", "description", "direction", "level", "form", "min_age", "max_age")


@router.get("/programs")
async def programs(request: Request, status: str | None = None):
    staff(request)
    status = status if status in PROGRAM_STATUS else None
    page_no = page_number(request.query_params.get("page"))
    found = await api(request, "GET", "/programs/mine", params={"status": status, "page": page_no, "page_size": 20})
    return page(request, "provider/programs.html", data=found, status=status)


# --- a program's form: new and edit


def posted_rows(form: Form, prefix: str, limit: int) -> int:
    """How many `prefix.N.*` rows the form posted (the highest N + 1), at most `limit`."""
    found = [int(parts[1]) for parts in (name.split(".") for name in form)
             if len(parts) == 3 and parts[0] == prefix and parts[1].isascii() and parts[1].isdigit()]
    return min(limit, max(found) + 1) if found else 0


def with_spare(rows: list[dict], at_least: int, limit: int) -> list[dict]:
    """The rows typed (trailing empty ones dropped) and one empty row to add another, never fewer than
    `at_least` nor more than `limit`."""
    rows = list(rows)
    while rows and not any(v for k, v in rows[-1].items() if k != "id"):
        rows.pop()
    return (rows + [{}] * max(1, at_least - len(rows)))[:max(limit, len(rows))]


def one_more(values: dict, name: str) -> dict:
    """The form's values with one more empty row of `name` (the «add a row» button; works without JavaScript)."""
    limit = MAX_MODULES if name == "modules" else MAX_LESSONS
    rows = [r for r in values[name] if any(v for k, v in r.items() if k != "id")]
    values[name] = (rows + [{}, {}])[:max(limit, len(rows))] if len(rows) < limit else rows
    return values


def _program_values(form: Form, with_modules: bool, had_limit: bool = False
                    ) -> tuple[dict, dict, dict[str, str], list[int]]:
    """What the form asks the API for, the values to show again, the page's own errors and which form rows
    the modules sent came from. An emptied limit that was set clears it (`null`); empty on a new one: none."""
    values = {name: form.get(name, "").strip() for name in (*DESCRIPTIVE, "enrollment_limit")}
    values["ovz_adapted"] = form.flag("ovz_adapted")
    values["free_registers"] = [r for r in FREE_REGISTERS if form.flag(f"register_{r}")]
    body: dict = {name: values[name] for name in ("title", "description", "direction", "level", "form")}
    body.update(min_age=as_int(values["min_age"]), max_age=as_int(values["max_age"]), ovz_adapted=values["ovz_adapted"])
    if (limit := as_int(values["enrollment_limit"])) is not None:
        body["enrollment_limit"] = limit
    elif had_limit:
        body["enrollment_limit"] = None
    errors: dict[str, str] = {}
    modules, rows = [], []
    values["modules"] = []
    for i in range(posted_rows(form, "modules", MAX_MODULES)):
        row = {k: form.get(f"modules.{i}.{k}", "").strip() for k in ("id", "title", "hours", "price_kop")}
        values["modules"].append(row)
        if not with_modules or not (row["title"] or row["hours"] or row["price_kop"]):
            continue
        try:
            price = kopecks(row["price_kop"], required=True)
        except ValueError:
            price = None
            errors[f"modules.{i}.price_kop"] = "Укажите цену в рублях, например 18000 или 18000,50"
        module = {"title": row["title"], "hours": as_int(row["hours"]), "price_kop": price}
        if row["id"]:
            module["id"] = row["id"]
        modules.append(module)
        rows.append(i)
    if with_modules:
        if not modules:
            errors["modules.0.title"] = "Добавьте хотя бы один модуль: название, часы и цену"
        body["modules"] = modules
    values["modules"] = with_spare(values["modules"], 1, MAX_MODULES)
    return body, values, errors, rows


def _values_of(program: dict) -> dict:
    values = {name: program.get(name) for name in DESCRIPTIVE}
    values.update(ovz_adapted=program.get("ovz_adapted"), enrollment_limit=program.get("enrollment_limit") or "",
                  free_registers=[r for r in program.get("registers") or [] if r != "certified"])
    values["enrollment_limit"] = "" if program.get("enrollment_limit") is None else program["enrollment_limit"]
    modules = [{"id": m["id"], "title": m["title"], "hours": m["hours"], "price_kop": rubles_input(m["price_kop"])}
               for m in program.get("modules") or []]
    values["modules"] = with_spare(modules, 1, MAX_MODULES)
    return values


@router.get("/programs/new")
async def new_program(request: Request):
    staff(request)
    return page(request, "provider/program_form.html", program=None, values={"modules": [{}] * MODULE_ROWS},
                errors={}, rows=MODULE_ROWS, max_rows=MAX_MODULES)


@router.post("/programs/new")
async def create_program(request: Request):
    staff(request)
    form = await read_form(request)
    body, values, errors, rows = _program_values(form, with_modules=True)
    if form.get("add_row"):  # «Ещё модуль»: the same form with one more empty row, nothing sent
        return page(request, "provider/program_form.html", program=None, values=one_more(values, "modules"),
                    errors={}, rows=len(values["modules"]), max_rows=MAX_MODULES)
    if not errors:
        if free := values["free_registers"]:
            body["free_registers"] = free
        try:
            created = await api(request, "POST", "/programs", json=body)
        except ApiProblem as problem:
            if not shown_refusal(problem):
                raise
            return page(request, "provider/program_form.html", status_of(problem), program=None, values=values,
                        errors=renumbered(problem.field_errors(), "modules", rows), problem=problem.title,
                        rows=len(values["modules"]))
        request.state.session.flash("Программа создана черновиком. Проверьте её и опубликуйте, затем добавьте группы.")
        return redirect(f"/provider/programs/{created['id']}")
    return page(request, "provider/program_form.html", 422, program=None, values=values, errors=errors,
                problem="Проверьте введённые данные", rows=len(values["modules"]))


@router.get("/programs/{program_id}/edit")
async def edit_form(request: Request, program_id: uuid.UUID):
    staff(request)
    program = await api(request, "GET", f"/programs/{program_id}")
    values = _values_of(program)
    return page(request, "provider/program_form.html", program=program, values=values, errors={},
                rows=len(values["modules"]))


@router.post("/programs/{program_id}/edit")
async def edit_program(request: Request, program_id: uuid.UUID):
    staff(request)
    form = await read_form(request)
    program = await api(request, "GET", f"/programs/{program_id}")
    draft = program["status"] == "draft"
    body, values, errors, rows = _program_values(form, with_modules=draft,
                                                 had_limit=program.get("enrollment_limit") is not None)
    if not draft:
        values["modules"] = _values_of(program)["modules"]
    elif form.get("add_row"):
        return page(request, "provider/program_form.html", program=program, values=one_more(values, "modules"),
                    errors={}, rows=len(values["modules"]), max_rows=MAX_MODULES)
    if not errors:
        try:
            await api(request, "PATCH", f"/programs/{program_id}", json=body)
        except ApiProblem as problem:
            if not shown_refusal(problem):
                raise
            errors, title = renumbered(problem.field_errors(), "modules", rows), problem.title
            return page(request, "provider/program_form.html", status_of(problem), program=program, values=values,
                        errors=errors, problem=title, rows=len(values["modules"]))
        request.state.session.flash("Изменения программы сохранены.")
        return redirect(f"/provider/programs/{program_id}")
    return page(request, "provider/program_form.html", 422, program=program, values=values, errors=errors,
                problem="Проверьте введённые данные", rows=len(values["modules"]))


# --- one program: its card, groups, publishing


async def _program_page(request: Request, program_id: uuid.UUID, status_code: int = 200, **extra):
    staff(request)
    program = await api(request, "GET", f"/programs/{program_id}")
    modules = {m["id"]: m["title"] for m in program.get("modules") or []}
    return page(request, "provider/program.html", status_code, program=program, modules=modules, **extra)


@router.get("/programs/{program_id}")
async def program(request: Request, program_id: uuid.UUID):
    return await _program_page(request, program_id)


@router.post("/programs/{program_id}/{action}")
async def program_action(request: Request, program_id: uuid.UUID, action: str):
    staff(request)
    await read_form(request)
    if action not in ("publish", "unpublish"):
        return redirect(f"/provider/programs/{program_id}")
    try:
        await api(request, "POST", f"/programs/{program_id}/{action}")
    except ApiProblem as problem:
        if not shown_refusal(problem):
            raise
        return await _program_page(request, program_id, status_of(problem), problem=problem.title)
    request.state.session.flash("Программа опубликована: она в каталоге, группы принимают заявки."
                                if action == "publish" else
                                "Набор на программу закрыт: её нет в каталоге, новые заявки не принимаются.")
    return redirect(f"/provider/programs/{program_id}")


@router.post("/groups/{group_id}/{action}")
async def group_enrollment(request: Request, group_id: uuid.UUID, action: str):
    staff(request)
    form = await read_form(request)
    program_id = _uuid(form.get("program_id"))
    back = f"/provider/programs/{program_id}" if program_id else "/provider/programs"
    if action not in ("close-enrollment", "open-enrollment"):
        return redirect(back)
    try:
        group = await api(request, "POST", f"/groups/{group_id}/{action}")
    except ApiProblem as problem:
        if not shown_refusal(problem):
            raise
        request.state.session.flash(problem.title)
        return redirect(back)
    name = group.get("name", "") if isinstance(group, dict) else ""
    request.state.session.flash(f"Набор в группу {name} закрыт." if action == "close-enrollment"
                                else f"Набор в группу {name} открыт.")
    return redirect(back)


def _uuid(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID((value or "").strip())
    except ValueError:
        return None


# --- a new group


async def _group_page(request: Request, program_id: uuid.UUID, status_code: int = 200, **extra):
    provider_id = await provider_of(request, staff(request))
    program, provider = await asyncio.gather(api(request, "GET", f"/programs/{program_id}"),
                                             api(request, "GET", f"/providers/{provider_id}"))
    venues = [f"{v['title']}, {v['address']}" for v in provider.get("venues") or []]
    values = extra.pop("values", None) or {"enrollment_open": True, "schedule": [{}] * LESSON_ROWS}
    return page(request, "provider/group_form.html", status_code, program=program, venues=venues, values=values,
                errors=extra.pop("errors", {}), rows=len(values["schedule"]), max_rows=MAX_LESSONS, **extra)


@router.get("/programs/{program_id}/groups/new")
async def new_group(request: Request, program_id: uuid.UUID):
    return await _group_page(request, program_id)


@router.post("/programs/{program_id}/groups/new")
async def create_group(request: Request, program_id: uuid.UUID):
    staff(request)
    form = await read_form(request)
    values = {k: form.get(k, "").strip() for k in ("module_id", "venue", "teacher", "starts_on", "ends_on",
                                                   "capacity")}
    values["enrollment_open"] = form.flag("enrollment_open")
    schedule, rows, values["schedule"] = [], [], []
    for i in range(posted_rows(form, "schedule", MAX_LESSONS)):
        row = {k: form.get(f"schedule.{i}.{k}", "").strip() for k in ("weekday", "starts_at", "minutes")}
        values["schedule"].append(row)
        if row["weekday"] == "" and not row["starts_at"] and not row["minutes"]:
            continue
        schedule.append({"weekday": as_int(row["weekday"]), "starts_at": row["starts_at"][:5],
                         "minutes": as_int(row["minutes"])})
        rows.append(i)
    values["schedule"] = with_spare(values["schedule"], 1, MAX_LESSONS)
    if form.get("add_row"):  # «Ещё занятие»: the same form with one more empty row, nothing sent
        return await _group_page(request, program_id, values=one_more(values, "schedule"))
    errors = {} if schedule else {"schedule.0.weekday": "Укажите хотя бы одно занятие в неделю"}
    if not errors:
        body = {"module_id": values["module_id"], "venue": values["venue"], "teacher": values["teacher"],
                "schedule": schedule, "starts_on": values["starts_on"] or None, "ends_on": values["ends_on"] or None,
                "capacity": as_int(values["capacity"]), "enrollment_open": values["enrollment_open"]}
        try:
            group = await api(request, "POST", f"/programs/{program_id}/groups", json=body)
        except ApiProblem as problem:
            if not shown_refusal(problem):
                raise
            return await _group_page(request, program_id, status_of(problem), values=values, problem=problem.title,
                                     errors=renumbered(problem.field_errors(), "schedule", rows))
        request.state.session.flash(f"Группа {group.get('name', '')} добавлена.")
        return redirect(f"/provider/programs/{program_id}#groups")
    return await _group_page(request, program_id, 422, values=values, errors=errors,
                             problem="Проверьте введённые данные")
