"""Applying to a group (with how it would be paid), the family's applications with their status and what
happens next, and seat offers from the waitlist (take or decline)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.catalog import costs_for
from navigator.texts import CANCELLABLE
from navigator.web import api, page, redirect, require_login

router = APIRouter()


async def _apply_page(request: Request, group_id: str, status_code: int = 200, **extra):
    group, children = await asyncio.gather(api(request, "GET", f"/groups/{group_id}", anonymous=True),
                                           api(request, "GET", "/children", params={"page_size": 100}))
    children = children["items"]
    costs = await costs_for(request, [group], children)
    return page(request, "cabinet/apply.html", status_code, group=group, children=children,
                costs={cid: cost for (_, cid), cost in costs.items()}, errors=extra.pop("errors", {}), **extra)


@router.get("/groups/{group_id}/apply")
async def apply_form(request: Request, group_id: str):
    require_login(request)
    return await _apply_page(request, group_id)


@router.post("/groups/{group_id}/apply")
async def apply(request: Request, group_id: str):
    require_login(request)
    form = await read_form(request)
    children = (await api(request, "GET", "/children", params={"page_size": 100}))["items"]
    child = next((c for c in children if c["id"] == form.get("child_id")), None)
    if child is None or not child.get("certificate_id"):
        message = "Выберите ребёнка" if child is None else "У ребёнка нет сертификата: запросите его в кабинете"
        return await _apply_page(request, group_id, 422, errors={"child_id": message}, problem=message)
    try:
        application = await api(request, "POST", "/applications", idempotency_key=form.get("idempotency_key") or None,
                                json={"group_id": group_id, "certificate_id": child["certificate_id"]})
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        reasons = [e["message"] for e in problem.problem.get("errors") or []] or [problem.title]
        return await _apply_page(request, group_id, 409 if problem.status == 409 else 422,
                                 errors={"child_id": "; ".join(reasons)}, problem=problem.title, chosen=child["id"])
    request.state.session.flash("Заявка подана. Организатор рассмотрит её, мы пришлём уведомление.")
    return redirect(f"/cabinet/applications/{application['id']}")


@router.get("/cabinet/applications")
async def applications(request: Request):
    require_login(request)
    found, children = await asyncio.gather(api(request, "GET", "/applications", params={"page_size": 100}),
                                           api(request, "GET", "/children", params={"page_size": 100}))
    names = {c["id"]: c["full_name"] for c in children["items"]}
    return page(request, "cabinet/applications.html", applications=found["items"], names=names)


@router.get("/cabinet/applications/{application_id}")
async def application(request: Request, application_id: str):
    require_login(request)
    found = await api(request, "GET", f"/applications/{application_id}")
    child = await api(request, "GET", f"/children/{found['child_id']}")
    return page(request, "cabinet/application.html", application=found, child=child,
                cancellable=found["status"] in CANCELLABLE)


@router.post("/cabinet/applications/{application_id}/{action}")
async def decide(request: Request, application_id: str, action: str):
    require_login(request)
    form = await read_form(request)
    if action not in ("confirm", "cancel"):
        return redirect(f"/cabinet/applications/{application_id}")
    try:
        await api(request, "POST", f"/applications/{application_id}/{action}",
                  idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 404:
            raise
        request.state.session.flash(problem.title)
        return redirect(f"/cabinet/applications/{application_id}")
    request.state.session.flash("Место подтверждено: готовим договор." if action == "confirm"
                                else "Заявка отозвана.")
    return redirect(f"/cabinet/applications/{application_id}")
