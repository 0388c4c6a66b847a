"""The providers' registry: find providers, read one's card (requisites, venues, contacts, agreements, history)
and decide — only the moves its status allows; a refused move is shown on the card."""
from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, Request

from navigator import texts
from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.staff_common import newest, page_number, shown
from navigator.roles import require_role
from navigator.web import api, page, redirect

router = APIRouter(prefix="/region/providers")
FILTERS = ("status", "municipality", "kind", "q")


@router.get("")
async def providers(request: Request):
    require_role(request, "regional_operator")
    chosen = {name: (request.query_params.get(name) or "").strip() for name in FILTERS}
    names = await municipalities(request)
    allowed = {"status": texts.PROVIDER_STATUS, "municipality": names, "kind": texts.PROVIDER_KIND}
    params = {k: v for k, v in chosen.items() if v and (k not in allowed or v in allowed[k])}
    found = await api(request, "GET", "/providers", params={**params, "page": page_number(request.query_params.get("page")),
                                                            "page_size": 20})
    return page(request, "region/providers.html", found=found, chosen=chosen, names=names)


async def _card(request: Request, provider_id: uuid.UUID, status_code: int = 200, **extra):
    provider, history, agreements, names = await asyncio.gather(
        api(request, "GET", f"/providers/{provider_id}"),
        newest(request, f"/providers/{provider_id}/history", page_size=50),
        _agreements(request, provider_id), municipalities(request))
    return page(request, "region/provider.html", status_code, provider=provider, history=history["items"],
                history_total=history.get("total") or 0,
                agreements=agreements, names=names, errors=extra.pop("errors", {}), **extra)


async def _agreements(request: Request, provider_id: uuid.UUID) -> list[dict] | None:
    try:
        return (await api(request, "GET", f"/providers/{provider_id}/agreements", params={"page_size": 100}))["items"]
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return None


@router.get("/{provider_id}")
async def provider(request: Request, provider_id: uuid.UUID):
    require_role(request, "regional_operator")
    return await _card(request, provider_id)


@router.post("/{provider_id}/{action}")
async def decide(request: Request, provider_id: uuid.UUID, action: str):
    require_role(request, "regional_operator")
    form = await read_form(request)
    needs = {a: reason for moves in texts.PROVIDER_DECISIONS.values() for a, _, reason in moves}
    if action not in needs:
        return await _card(request, provider_id, 404, problem="Такого решения нет")
    reason = (form.get("reason") or "").strip()
    if needs[action] and not reason:
        return await _card(request, provider_id, 422, action=action, problem="Укажите причину решения",
                           errors={f"{action}-reason": "Укажите причину: её увидят поставщик и история"})
    try:
        await api(request, "POST", f"/providers/{provider_id}/{action}", json={"reason": reason} if reason else {})
    except ApiProblem as problem:
        if not shown(problem):
            raise
        errors = problem.field_errors()
        return await _card(request, provider_id, problem.status, action=action, problem=problem.title,
                           errors={f"{action}-reason": errors.get("reason") or problem.title})
    request.state.session.flash(texts.PROVIDER_DONE[action])
    return redirect(f"/region/providers/{provider_id}")
