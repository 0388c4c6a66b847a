"""Staff accounts: the list with filters, a new account (operator of a municipality, regional operator, admin,
provider staff) with the API's refusals beside their fields, and blocking when the API offers it."""
from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, HTTPException, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.staff_common import page_number, shown
from navigator.roles import ROLE_NAMES, require_role
from navigator.web import api, page, redirect

router = APIRouter(prefix="/admin/accounts")
LABELS = {"email": "Электронная почта", "password": "Пароль", "full_name": "ФИО", "role": "Роль",
          "municipality": "Муниципалитет", "provider_id": "Поставщик"}
FIELDS = ("email", "full_name", "role", "municipality", "provider_id")
STAFF_ROLES = ("operator", "regional_operator", "admin", "provider")  # the accounts the admin makes


@router.get("")
async def accounts(request: Request):
    require_role(request, "admin")
    chosen = {"role": request.query_params.get("role") or "", "q": (request.query_params.get("q") or "").strip()}
    found, names = await asyncio.gather(_accounts(request, chosen), municipalities(request))
    items = found.get("items") or []
    return page(request, "admin/accounts.html", found=found, items=items, chosen=chosen, names=names,
                can_block=bool(items))


async def _accounts(request: Request, chosen: dict[str, str]) -> dict:
    """A page of accounts; `{"error": …}` when the gateway does not list them (the form to create one stays)."""
    try:
        return await api(request, "GET", "/accounts", params={
            "role": chosen["role"] if chosen["role"] in ROLE_NAMES else None, "q": chosen["q"] or None,
            "page": page_number(request.query_params.get("page"))})
    except ApiProblem as problem:
        if problem.status == 401 or problem.status >= 500:
            raise
        return {"error": problem.title, "items": [], "total": 0, "page": 1, "page_size": 20}


async def _providers(request: Request, q: str) -> list[dict] | None:
    """Providers matching `q` to pick the account's one from; None when nothing was asked."""
    if not q:
        return None
    found = await api(request, "GET", "/providers", params={"q": q, "page_size": 20})
    return found.get("items") or []


async def _new(request: Request, status_code: int = 200, **extra):
    values = extra.pop("values", {})
    q = values.get("provider_q") or (request.query_params.get("provider_q") or "").strip()[:200]
    names, providers = await asyncio.gather(municipalities(request), _providers(request, q))
    options = [(str(p["id"]), f'{p.get("short_name") or p["id"]} — ИНН {p.get("inn", "")}') for p in providers or []]
    return page(request, "admin/account_new.html", status_code, names=names, providers=providers, provider_q=q,
                provider_options=options, picked=[code for code, _ in options],
                role_options=[(code, ROLE_NAMES[code]) for code in STAFF_ROLES],
                values=values, errors=extra.pop("errors", {}), labels=LABELS, **extra)


@router.get("/new")
async def new_account(request: Request):
    require_role(request, "admin")
    return await _new(request, values={"role": request.query_params.get("role") or "operator"})


def _body(values: dict[str, str], password: str) -> tuple[dict, dict[str, str]]:
    """The API's body (each role with only its own binding) and the bindings missing for the role."""
    role = values["role"]
    body = {"email": values["email"], "password": password, "role": role, "full_name": values["full_name"] or None}
    errors = {}
    if role not in STAFF_ROLES:
        errors["role"] = "Выберите роль"
    if role == "operator":
        body["municipality"] = values["municipality"] or None
        if not body["municipality"]:
            errors["municipality"] = "Оператору муниципалитета нужен муниципалитет"
    if role == "provider":
        body["provider_id"] = values["provider_id"] or None
        if not body["provider_id"]:
            errors["provider_id"] = "Сотруднику поставщика нужен поставщик: найдите его или впишите номер"
    return body, errors


@router.post("/new")
async def create(request: Request):
    require_role(request, "admin")
    form = await read_form(request)
    values = {name: (form.get(name) or "").strip() for name in FIELDS}
    values["provider_id"] = values["provider_id"] or (form.get("provider_pick") or "").strip()
    values["provider_q"] = (form.get("provider_q") or "").strip()[:200]
    body, errors = _body(values, form.get("password") or "")
    if errors:
        return await _new(request, 422, values=values, errors=errors, problem="Проверьте введённые данные")
    try:
        created = await api(request, "POST", "/accounts", json=body)
    except ApiProblem as problem:
        if not shown(problem):
            raise
        errors = problem.field_errors()
        if "body" in errors:  # the API's check of the role's binding: it has no field of its own
            errors.setdefault("role", errors.pop("body"))
        return await _new(request, problem.status, values=values, errors=errors, problem=problem.title)
    request.state.session.flash(f"Учётная запись {created.get('email') or values['email']} создана: "
                                f"{ROLE_NAMES.get(values['role'], values['role']).lower()}.")
    return redirect("/admin/accounts")


@router.post("/{account_id}/{action}")
async def block(request: Request, account_id: uuid.UUID, action: str):
    require_role(request, "admin")
    if action not in ("block", "unblock"):
        raise HTTPException(404)
    await read_form(request)
    try:
        await api(request, "POST", f"/accounts/{account_id}/{action}")
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 401:
            raise
        request.state.session.flash(f"Не получилось: {problem.title}")
        return redirect("/admin/accounts")
    request.state.session.flash("Учётная запись заблокирована: войти в неё нельзя." if action == "block"
                                else "Учётная запись разблокирована.")
    return redirect("/admin/accounts")
