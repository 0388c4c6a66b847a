"""Programs' certification: find a published program (or open any program, a draft too, by its number),
read its modules and certification state, certify it with a score and a term."""
from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request

from navigator.formatting import day
from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.staff_common import page_number, shown
from navigator.roles import require_role
from navigator.web import api, page, redirect

router = APIRouter(prefix="/region/programs")
LABELS = {"score": "Балл сертификации", "valid_until": "Сертифицирована по"}


async def _list(request: Request, status_code: int = 200, **extra):
    chosen = {name: (request.query_params.get(name) or "").strip() for name in ("q", "municipality", "certificate")}
    names = await municipalities(request)
    params = {"q": chosen["q"] or None, "municipality": chosen["municipality"] if chosen["municipality"] in names
              else None, "certificate": chosen["certificate"] if chosen["certificate"] in ("true", "false") else None}
    found = await api(request, "GET", "/programs",
                      params={**params, "page": page_number(request.query_params.get("page")), "page_size": 20})
    return page(request, "region/programs.html", status_code, found=found, chosen=chosen, names=names,
                errors=extra.pop("errors", {}), **extra)


@router.get("")
async def programs(request: Request):
    require_role(request, "regional_operator")
    return await _list(request)


@router.get("/open")
async def open_by_number(request: Request, id: str = ""):
    """Any program by its number — a provider's draft too, which the search does not list."""
    require_role(request, "regional_operator")
    try:
        program_id = uuid.UUID(id.strip()[:100])
    except ValueError:
        return await _list(request, 422, opened=id, problem="Проверьте номер программы",
                           errors={"id": "Номер программы — как в адресе её страницы: 32 знака 0–9 и a–f с дефисами"})
    return redirect(f"/region/programs/{program_id}")


async def _program(request: Request, program_id: uuid.UUID, status_code: int = 200, **extra):
    program = await api(request, "GET", f"/programs/{program_id}")
    names = await municipalities(request)
    return page(request, "region/program.html", status_code, program=program, names=names,
                errors=extra.pop("errors", {}), values=extra.pop("values", {}), labels=LABELS, **extra)


@router.get("/{program_id}")
async def program(request: Request, program_id: uuid.UUID):
    require_role(request, "regional_operator")
    return await _program(request, program_id)


@router.post("/{program_id}/certify")
async def certify(request: Request, program_id: uuid.UUID):
    require_role(request, "regional_operator")
    form = await read_form(request)
    values = {"score": form.get("score", "").strip(), "valid_until": form.get("valid_until", "").strip()}
    errors = {}
    try:
        score = int(values["score"])
        if not 0 <= score <= 100:
            raise ValueError
    except ValueError:
        errors["score"] = "Целое число от 0 до 100"
    try:
        valid_until = date.fromisoformat(values["valid_until"])
    except ValueError:
        errors["valid_until"] = "Укажите дату: ГГГГ-ММ-ДД"
    if errors:
        return await _program(request, program_id, 422, values=values, errors=errors,
                              problem="Проверьте введённые данные")
    try:
        await api(request, "POST", f"/programs/{program_id}/certify",
                  json={"score": score, "valid_until": valid_until.isoformat()})
    except ApiProblem as problem:
        if not shown(problem):
            raise
        return await _program(request, program_id, problem.status, values=values, problem=problem.title,
                              errors=problem.field_errors() or {"score": problem.title})
    request.state.session.flash(f"Программа сертифицирована по {day(valid_until)} включительно, балл {score}.")
    return redirect(f"/region/programs/{program_id}")
