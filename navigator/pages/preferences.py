"""Which notices come by e-mail (the link at the foot of every mail leads here)."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.web import api, page, redirect, require_login

router = APIRouter(prefix="/cabinet/notifications/settings")


@router.get("")
async def preferences(request: Request):
    require_login(request)
    found = await api(request, "GET", "/me/notification-preferences")
    return page(request, "cabinet/notification_settings.html", preferences=found["items"], errors={})


@router.post("")
async def save(request: Request):
    require_login(request)
    form = await read_form(request)
    current = (await api(request, "GET", "/me/notification-preferences"))["items"]
    wanted = {p["kind"]: form.flag(p["kind"]) for p in current if not p["essential"]}
    try:
        await api(request, "PUT", "/me/notification-preferences", json={"email": wanted})
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        return page(request, "cabinet/notification_settings.html", 422, preferences=current,
                    errors={"email": problem.title}, problem=problem.title)
    request.state.session.flash("Настройки писем сохранены.")
    return redirect("/cabinet/notifications/settings")
