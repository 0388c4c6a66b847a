"""The municipality's funding period of a year: its parameters (dates, nominals by age and category, the funded
quota, free programs per register, the budget), opening and closing it, and the runs that credit or expire."""
from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date

from fastapi import APIRouter, Request

from navigator import texts
from navigator.forms import Form, read_form
from navigator.gateway import ApiProblem
from navigator.pages.operator.common import maybe, municipality_of
from navigator.pages.staff_common import digits, kopecks, rubles_input, shown, this_year
from navigator.roles import require_role
from navigator.web import api, page, redirect

router = APIRouter(prefix="/operator/period")
SPARE_ROWS = 2
NUMBERS = ("funded_quota", "free_significant", "free_preprofessional", "free_other")
NESTED = re.compile(r"^nominals\.(\d+)\.(\w+)$")


def _year(request: Request, value: str | None) -> int:
    return int(value) if value and re.fullmatch(r"20[0-9]{2}", value) else this_year(request)


def _values_of(period: dict | None) -> dict:
    """The form's values from the API's period (or an empty form)."""
    if not period:
        return {"starts_on": "", "ends_on": "", "funded_quota": "", "free_significant": "", "free_preprofessional": "",
                "free_other": "", "budget_cap": "", "nominals": [{} for _ in range(SPARE_ROWS + 1)]}
    limits = period.get("free_limits") or {}
    nominals = [{"min_age": str(n["min_age"]), "max_age": str(n["max_age"]), "category": n.get("category", "general"),
                 "amount": rubles_input(n["amount_kop"])} for n in period.get("nominals") or []]
    return {"starts_on": period.get("starts_on", ""), "ends_on": period.get("ends_on", ""),
            "funded_quota": str(period.get("funded_quota", "")),
            **{f"free_{k}": str(limits.get(k, "")) for k in texts.FREE_REGISTERS},
            "budget_cap": rubles_input(period.get("budget_cap_kop")),
            "nominals": nominals + [{} for _ in range(SPARE_ROWS)]}


def _read(form: Form) -> tuple[dict, dict, dict]:
    """The submitted form: its values to show back, the API's body, and the errors found before asking."""
    values = {k: form.get(k, "").strip() for k in ("starts_on", "ends_on", "budget_cap", *NUMBERS)}
    errors: dict[str, str] = {}
    for name in ("starts_on", "ends_on"):
        try:
            date.fromisoformat(values[name])
        except ValueError:
            errors[name] = "Укажите дату: ГГГГ-ММ-ДД"
    for name in NUMBERS:
        if not digits(values[name]):
            errors[name] = "Целое число, 0 или больше"
    try:
        budget = kopecks(values["budget_cap"], required=True)
    except ValueError as bad:
        errors["budget_cap"], budget = str(bad), None
    rows, nominals, i = [], [], 0
    while f"nominal-{i}-amount" in form and i < 50:
        row = {k: form.get(f"nominal-{i}-{k}", "").strip() for k in ("min_age", "max_age", "category", "amount")}
        rows.append(row)
        if row["min_age"] or row["max_age"] or row["amount"]:
            n = len(rows) - 1
            for k in ("min_age", "max_age"):
                if not digits(row[k]) or int(row[k]) > 18:
                    errors[f"nominal-{n}-{k}"] = "Возраст — от 0 до 18 лет"
            if row["category"] not in texts.NOMINAL_CATEGORY:
                errors[f"nominal-{n}-category"] = "Выберите категорию"
            try:
                amount = kopecks(row["amount"], required=True)
            except ValueError as bad:
                errors[f"nominal-{n}-amount"], amount = str(bad), None
            if f"nominal-{n}-min_age" not in errors and f"nominal-{n}-max_age" not in errors and amount is not None:
                nominals.append((n, {"min_age": int(row["min_age"]), "max_age": int(row["max_age"]),
                                     "category": row["category"], "amount_kop": amount}))
        i += 1
    if not nominals and not any(k.startswith("nominal-") for k in errors):
        errors["nominal-0-amount"] = "Укажите хотя бы один номинал"
    values["nominals"] = rows or [{}]
    body = {"starts_on": values["starts_on"], "ends_on": values["ends_on"],
            "nominals": [n for _, n in nominals], "budget_cap_kop": budget,
            "funded_quota": int(values["funded_quota"]) if digits(values["funded_quota"]) else None,
            "free_limits": {k: int(values[f"free_{k}"]) if digits(values[f"free_{k}"]) else None
                            for k in texts.FREE_REGISTERS}}
    return values, body, {"rows": [n for n, _ in nominals], "errors": errors}


def _api_field(name: str, rows: list[int]) -> str:
    """The API's field of an error → the form's field."""
    nested = NESTED.match(name)
    if nested:
        index, key = int(nested.group(1)), nested.group(2)
        row = rows[index] if index < len(rows) else 0
        return f"nominal-{row}-{'amount' if key == 'amount_kop' else key}"
    if name.startswith("free_limits."):
        return "free_" + name.split(".", 1)[1]
    return {"budget_cap_kop": "budget_cap", "nominals": "nominal-0-amount", "body": "ends_on"}.get(name, name)


async def _period_page(request: Request, year: int, status_code: int = 200, **extra):
    account = require_role(request, "operator")
    m = municipality_of(account)
    try:
        period = await api(request, "GET", f"/municipalities/{m}/periods/{year}")
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        period = None
    runs = await maybe(request, "GET", f"/municipalities/{m}/periods/{year}/runs", params={"page_size": 20})
    values = extra.pop("values", None) or _values_of(period)
    return page(request, "operator/period.html", status_code, year=year, period=period, runs=runs, values=values,
                errors=extra.pop("errors", {}), **extra)


@router.get("")
async def period(request: Request):
    require_role(request, "operator")
    return await _period_page(request, _year(request, request.query_params.get("year")))


@router.post("/{year}")
async def set_period(request: Request, year: int):
    account = require_role(request, "operator")
    values, body, found = _read(await read_form(request))
    if found["errors"]:
        return await _period_page(request, year, 422, values=values, errors=found["errors"],
                                  problem="Проверьте введённые данные")
    try:
        await api(request, "PUT", f"/municipalities/{municipality_of(account)}/periods/{year}", json=body)
    except ApiProblem as problem:
        if not shown(problem):
            raise
        errors = {_api_field(k, found["rows"]): v for k, v in problem.field_errors().items()}
        return await _period_page(request, year, 409 if problem.status == 409 else 422, values=values,
                                  errors=errors or {"starts_on": problem.title}, problem=problem.title)
    request.state.session.flash(f"Параметры периода {year} года сохранены.")
    return redirect(f"/operator/period?year={year}")


async def _start(request: Request, year: int, action: str):
    account = require_role(request, "operator")
    await read_form(request)
    try:
        run = await api(request, "POST", f"/municipalities/{municipality_of(account)}/periods/{year}/{action}")
    except ApiProblem as problem:
        if not shown(problem):
            raise
        return await _period_page(request, year, 409 if problem.status == 409 else 422, problem=problem.title,
                                  errors={"run": problem.title})
    request.state.session.flash("Запуск принят: ход виден на этой странице.")
    return redirect(f"/operator/period/{year}/runs/{run['id']}")


@router.post("/{year}/open")
async def open_period(request: Request, year: int):
    return await _start(request, year, "open")


@router.post("/{year}/close")
async def close_period(request: Request, year: int):
    return await _start(request, year, "close")


@router.get("/{year}/runs/{run_id}")
async def run(request: Request, year: int, run_id: uuid.UUID):
    account = require_role(request, "operator")
    m = municipality_of(account)
    found, period_found = await asyncio.gather(
        api(request, "GET", f"/municipalities/{m}/periods/{year}/runs/{run_id}"),
        maybe(request, "GET", f"/municipalities/{m}/periods/{year}"))
    return page(request, "operator/run.html", run=found, year=year, period=period_found)
