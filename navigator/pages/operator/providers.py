"""Providers of the municipality and their applications to the registry (decided by the region), a provider's
card with its checked requisites and history, and this municipality's payment agreements with it."""
from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date

from fastapi import APIRouter, Request

from navigator import texts
from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.operator.common import municipality_of
from navigator.pages.staff_common import kopecks, page_number, rubles_input, shown, this_year
from navigator.roles import require_role
from navigator.web import api, page, redirect

router = APIRouter(prefix="/operator/providers")
AGREEMENT_FIELDS = {"limit_kop": "limit", "number": "number", "signed_on": "signed_on", "active": "active",
                    "year": "year", "municipality": "year"}


def _page_no(request: Request) -> int:
    return page_number(request.query_params.get("page"))


@router.get("")
async def providers(request: Request):
    """The municipality's providers; and, asked by name or ИНН, providers admitted in any municipality (one
    registered elsewhere may teach here under a payment agreement with this municipality)."""
    account = require_role(request, "operator")
    query = request.query_params
    status = query.get("status") or ""
    status = status if status in texts.PROVIDER_STATUS else ""
    q = (query.get("q") or "").strip()[:200]
    anywhere = (query.get("anywhere") or "").strip()[:200]
    found, elsewhere = await asyncio.gather(
        api(request, "GET", "/providers", params={"status": status, "municipality": municipality_of(account), "q": q,
                                                  "page": _page_no(request), "page_size": 25}),
        api(request, "GET", "/providers", params={"status": "approved", "q": anywhere, "page_size": 25})
        if anywhere else _nothing())
    return page(request, "operator/providers.html", found=found, status=status, q=q, anywhere=anywhere,
                elsewhere=elsewhere)


async def _nothing() -> None:
    return None


async def _history(request: Request, provider_id: uuid.UUID) -> dict | None:
    """The provider's history, or None where the operator may not read it (a provider of another municipality
    holding an agreement with this one): the card stands without it."""
    try:
        return await api(request, "GET", f"/providers/{provider_id}/history",
                         params={"page": _page_no(request), "page_size": 20})
    except ApiProblem as problem:
        if problem.status in (403, 404):
            return None
        raise


async def _provider_page(request: Request, provider_id: uuid.UUID, status_code: int = 200, **extra):
    account = require_role(request, "operator")
    m = municipality_of(account)
    provider, history, agreements = await asyncio.gather(
        api(request, "GET", f"/providers/{provider_id}"),
        _history(request, provider_id),
        api(request, "GET", f"/providers/{provider_id}/agreements", params={"municipality": m, "page_size": 100}))
    values = extra.pop("values", None)
    if values is None:
        year = request.query_params.get("year") or ""
        year = int(year) if re.fullmatch(r"20[0-9]{2}", year) else this_year(request)
        current = next((a for a in agreements["items"] if a.get("year") == year and a.get("municipality") == m),
                       None)
        values = {"year": str(year), "number": (current or {}).get("number", ""),
                  "signed_on": (current or {}).get("signed_on", ""),
                  "limit": rubles_input((current or {}).get("limit_kop")), "active": (current or {}).get("active", True)}
    return page(request, "operator/provider.html", status_code, provider=provider, history=history,
                agreements=agreements, values=values, errors=extra.pop("errors", {}), **extra)


@router.get("/{provider_id}")
async def provider(request: Request, provider_id: uuid.UUID):
    return await _provider_page(request, provider_id)


@router.post("/{provider_id}/agreements")
async def set_agreement(request: Request, provider_id: uuid.UUID):
    account = require_role(request, "operator")
    form = await read_form(request)
    values = {"year": form.get("year", "").strip(), "number": form.get("number", "").strip(),
              "signed_on": form.get("signed_on", "").strip(), "limit": form.get("limit", "").strip(),
              "active": form.flag("active")}
    errors: dict[str, str] = {}
    if not re.fullmatch(r"20[0-9]{2}", values["year"]):
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
