"""The cabinet's first page: the organisation's card and its place in the registry (what the status means
and what to do), its payment agreements, venues (and adding one), and what waits for the staff: applications
to decide with the soonest deadline, disputes to answer."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.provider.applications import waiting as waiting_applications
from navigator.pages.provider.common import provider_of, staff
from navigator.pages.staff_common import newest, status_of
from navigator.pages.staff_common import shown as shown_refusal
from navigator.web import api, page, redirect

router = APIRouter(prefix="/provider")


async def _status_reason(request: Request, provider_id: str, status: str) -> str | None:
    """Why the registry put the provider where it is (the last decision's reason), for a refusal."""
    if status not in ("rejected", "suspended", "excluded"):
        return None
    try:
        history = await newest(request, f"/providers/{provider_id}/history")
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return None
    steps = [c for c in history.get("items") or [] if c.get("to_status") == status]
    return steps[-1].get("reason") if steps else None


async def _home(request: Request, status_code: int = 200, **extra):
    provider_id = await provider_of(request, staff(request))
    if not provider_id:
        return page(request, "provider/home.html", status_code, provider=None, **extra)
    provider, agreements, waiting, disputes, names = await asyncio.gather(
        api(request, "GET", f"/providers/{provider_id}"),
        api(request, "GET", f"/providers/{provider_id}/agreements", params={"page_size": 100}),
        waiting_applications(request, 1, 100),
        api(request, "GET", "/disputes", params={"status": "awaiting_provider", "page_size": 100}),
        municipalities(request))
    deadlines = sorted(a["decide_by"] for a in waiting["items"] if a.get("decide_by"))
    answer_due = sorted(d["answer_due"] for d in disputes["items"] if d.get("answer_due"))
    return page(request, "provider/home.html", status_code, provider=provider, agreements=agreements["items"],
                waiting=waiting["total"], soonest=deadlines[0] if deadlines else None, disputes=disputes["total"],
                dispute_due=answer_due[0] if answer_due else None,
                reason=await _status_reason(request, provider_id, provider.get("status")), names=names,
                errors=extra.pop("errors", {}), values=extra.pop("values", {}), **extra)


@router.get("")
async def home(request: Request):
    return await _home(request)


@router.post("/venues")
async def add_venue(request: Request):
    provider_id = await provider_of(request, staff(request))
    form = await read_form(request)
    values = {"title": form.get("title", "").strip(), "address": form.get("address", "").strip()}
    try:
        await api(request, "POST", f"/providers/{provider_id}/venues", json=values)
    except ApiProblem as problem:
        if not shown_refusal(problem):
            raise
        return await _home(request, status_of(problem), values=values, problem=problem.title,
                           errors=problem.field_errors() or {"title": problem.title})
    request.state.session.flash(f"Площадка «{values['title']}» добавлена.")
    return redirect("/provider#venues")
