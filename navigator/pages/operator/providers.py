"""Providers of the municipality and their applications to the registry (decided by the region), a provider's
card with its checked requisites and history, and this municipality's payment agreements with it."""
from __future__ import annotations

import asyncio
import re
from datetime import date

from fastapi import APIRouter, Request

from navigator import texts
from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.operator.common import kopecks, municipality_of, rubles_input, shown, this_year
from navigator.roles import require_role
from navigator.web import api, page, redirect

router = APIRouter(prefix="/operator/providers")
AGREEMENT_FIELDS = {"limit_kop": "limit", "number": "number", "signed_on": "signed_on", "active": "active",
                    "year": "year", "municipality": "year"}


def _page_no(request: Request) -> int:
    value = request.query_params.get("page") or ""
    return int(value) if value.isdigit() else 1


@router.get("")
async def providers(request: Request):
    account = require_role(request, "operator")
    query = request.query_params
    status = query.get("status") or ""
    status = status if status in texts.PROVIDER_STATUS else ""
    q = (query.get("q") or "").strip()[:200]
    found = await api(request, "GET", "/providers", params={
        "status": status, "municipality": municipality_of(account), "q": q, "page": _page_no(request),
        "page_size": 25})
    return page(request, "operator/providers.html", found=found, status=status, q=q)


async def _provider_page(request: Request, provider_id: str, status_code: int = 200, **extra):
    account = require_role(request, "operator")
    m = municipality_of(account)
    provider, history, agreements = await asyncio.gather(
        api(request, "GET", f"/providers/{provider_id}"),
        api(request, "GET", f"/providers/{provider_id}/history", params={"page": _page_no(request),
                                                                         "page_size": 20}),
        api(request, "GET", f"/providers/{provider_id}/agreements", params={"municipality": m, "page_size": 100}))
    values = extra.pop("values", None)
    if values is None:
        year = request.query_params.get("year") or ""
        year = int(year) if year.isdigit() else this_year()
        current = next((a for a in agreements["items"] if a.get("year") == year and a.get("municipality") == m),
                       None)
        values = {"year": str(year), "number": (current or {}).get("number", ""),
                  "signed_on": (current or {}).get("signed_on", ""),
                  "limit": rubles_input((current or {}).get("limit_kop")), "active": (current or {}).get("active", True)}
    return page(request, "operator/provider.html", status_code, provider=provider, history=history,
                agreements=agreements, values=values, errors=extra.pop("errors", {}), **extra)


@router.get("/{provider_id}")
async def provider(request: Request, provider_id: str):
    return await _provider_page(request, provider_id)


@router.post("/{provider_id}/agreements")
async def set_agreement(request: Request, provider_id: str):
    account = require_role(request, "operator")
    form = await read_form(request)
    values = {"year": form.get("year", "").strip(), "number": form.get("number", "").strip(),
              "signed_on": form.get("signed_on", "").strip(), "limit": form.get("limit", "").strip(),
              "active": form.flag("active")}
    errors: dict[str, str] = {}
    if not re.fullmatch(r"20\d\d", values["year"]):
        errors["year"] = "Год — четыре цифры, например 2026"
    if not values["number"]:
        errors["number"] = "Укажите номер соглашения"
    try:
        date.fromisoformat(values["signed_on"])
    except ValueError:
        errors["signed_on"] = "Укажите дату заключения: ГГГГ-ММ-ДД"
    try:
        limit_kop = kopecks(values["limit"])
    except ValueError as bad:
        errors["limit"], limit_kop = str(bad), None
    if errors:
        return await _provider_page(request, provider_id, 422, values=values, errors=errors,
                                    problem="Проверьте введённые данные")
    path = f"/providers/{provider_id}/agreements/{municipality_of(account)}/{values['year']}"
    try:
        await api(request, "PUT", path, json={"number": values["number"], "signed_on": values["signed_on"],
                                              "limit_kop": limit_kop, "active": values["active"]})
    except ApiProblem as problem:
        if not shown(problem):
            raise
        found = {AGREEMENT_FIELDS.get(k, "number"): v for k, v in problem.field_errors().items()}
        return await _provider_page(request, provider_id, 409 if problem.status == 409 else 422, values=values,
                                    errors=found or {"number": problem.title}, problem=problem.title)
    request.state.session.flash(f"Соглашение на {values['year']} год сохранено.")
    return redirect(f"/operator/providers/{provider_id}")
