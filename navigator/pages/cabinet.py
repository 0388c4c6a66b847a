"""The parent's cabinet: children with balances, applications, contracts and recent debits in one call;
the notification feed; a review after enrollment."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.staff_common import digits
from navigator.roles import home_of
from navigator.web import api, page, redirect, require_login

router = APIRouter()


@router.get("/cabinet")
async def cabinet(request: Request):
    require_login(request)
    account = request.state.session.get("account") or {}
    if account.get("role") != "parent":
        return redirect(home_of(account))
    found = await api(request, "GET", "/me/cabinet")
    try:
        unread = (await api(request, "GET", "/me/notifications", params={"page_size": 1}))["unread"]
    except ApiProblem:
        unread = None
    part = {name: (found[name]["data"] or {}).get("items", []) if found[name]["status"] == "ok" else None
            for name in ("children", "applications", "contracts", "debits")}
    names = {c["id"]: c["full_name"] for c in part["children"] or []}
    return page(request, "cabinet/home.html", part=part, names=names, unread=unread)


@router.get("/cabinet/notifications")
async def notifications(request: Request, page_number: int = 1):
    require_login(request)
    found = await api(request, "GET", "/me/notifications", params={"page_size": 50})
    return page(request, "cabinet/notifications.html", feed=found)


@router.post("/cabinet/notifications/read-all")
async def read_all(request: Request):
    require_login(request)
    await read_form(request)
    await api(request, "POST", "/me/notifications/read-all")
    return redirect("/cabinet/notifications")


@router.post("/cabinet/notifications/{notification_id}/read")
async def read_one(request: Request, notification_id: str):
    require_login(request)
    await read_form(request)
    await api(request, "POST", f"/me/notifications/{notification_id}/read")
    return redirect("/cabinet/notifications")


@router.post("/programs/{program_id}/reviews")
async def review(request: Request, program_id: str):
    require_login(request)
    form = await read_form(request)
    rating = form.get("rating", "")
    body = {"child_id": form.get("child_id", ""), "rating": int(rating) if digits(rating) and len(rating) < 3 else 0,
            "text": form.get("text", "").strip()}
    try:
        await api(request, "POST", f"/programs/{program_id}/reviews", json=body)
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 404:
            raise
        message = "; ".join(problem.field_errors().values()) or problem.title
        request.state.session.flash(f"Отзыв не сохранён: {message}")
        return redirect(f"/programs/{program_id}#review")
    request.state.session.flash("Спасибо! Отзыв опубликован.")
    return redirect(f"/programs/{program_id}#reviews")
