"""Registering, logging in and out, and setting a new password by the mailed link."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.roles import home_of
from navigator.security import safe_next
from navigator.web import api, page, redirect

router = APIRouter()


async def _log_in(request: Request, email: str, password: str) -> None:
    tokens = await api(request, "POST", "/auth/token", anonymous=True, json={"email": email, "password": password})
    account = await request.app.state.gateway.call("GET", "/me", token=tokens["access_token"])
    request.state.session.log_in(tokens, account)
    if account.get("municipality") and account.get("role") == "operator":  # the cabinet's heading names it
        try:
            request.state.session["account"] = {
                **request.state.session["account"],
                "municipality_name": (await municipalities(request)).get(account["municipality"])}
        except ApiProblem:
            pass


@router.get("/login")
async def login_form(request: Request, next: str = ""):
    session = request.state.session
    if session.logged_in:
        return redirect(safe_next(next, "") or home_of(session.get("account")))
    return page(request, "account/login.html", next=safe_next(next, ""), values={}, errors={})


@router.post("/login")
async def login(request: Request):
    form = await read_form(request)
    target = safe_next(form.get("next"), "")  # none given: each role lands in its own cabinet
    email = form.get("email", "").strip()
    try:
        await _log_in(request, email, form.get("password", ""))
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        errors = problem.field_errors() or {"password": problem.title}
        return page(request, "account/login.html", 401 if problem.status == 401 else 422, next=target,
                    values={"email": email}, errors=errors, problem=problem.title)
    return redirect(target or home_of(request.state.session.get("account")))


@router.post("/logout")
async def logout(request: Request):
    await read_form(request)
    session = request.state.session
    if refresh := session.get("refresh"):
        try:
            await api(request, "POST", "/auth/logout", anonymous=True, json={"refresh_token": refresh})
        except ApiProblem:
            pass  # the session ends here whatever the gateway says
    session.clear()
    session.flash("Вы вышли из личного кабинета.")
    return redirect("/")


@router.get("/register")
async def register_form(request: Request):
    return page(request, "account/register.html", municipalities=await municipalities(request), values={},
                errors={})


@router.post("/register")
async def register(request: Request):
    form = await read_form(request)
    values = {k: form.get(k, "").strip() for k in ("email", "phone", "municipality", "full_name")}
    password = form.get("password", "")
    errors: dict[str, str] = {}
    if password != form.get("password_again", ""):
        errors["password_again"] = "Пароли не совпадают"
    if not errors:
        try:
            await api(request, "POST", "/auth/register", anonymous=True,
                      json={**values, "full_name": values["full_name"] or None, "password": password,
                            "role": "parent"})
            await _log_in(request, values["email"], password)
        except ApiProblem as problem:
            if problem.status >= 500:
                raise
            errors = problem.field_errors() or {"email": problem.title}
            return page(request, "account/register.html", 422, municipalities=await municipalities(request),
                        values=values, errors=errors, problem=problem.title)
        request.state.session.flash("Учётная запись создана. Добавьте ребёнка, чтобы получить сертификат.")
        return redirect("/cabinet")
    return page(request, "account/register.html", 422, municipalities=await municipalities(request), values=values,
                errors=errors, problem="Проверьте введённые данные")


@router.get("/password-reset")
async def reset_form(request: Request, token: str = ""):
    return page(request, "account/reset.html", token=token[:500], sent=False, values={}, errors={})


@router.post("/password-reset")
async def reset_request(request: Request):
    form = await read_form(request)
    email = form.get("email", "").strip()
    try:
        await api(request, "POST", "/auth/password-reset", anonymous=True, json={"email": email})
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        return page(request, "account/reset.html", 422, token="", sent=False, values={"email": email},
                    errors=problem.field_errors() or {"email": problem.title}, problem=problem.title)
    return page(request, "account/reset.html", token="", sent=True, values={}, errors={})


@router.post("/password-reset/confirm")
async def reset_confirm(request: Request):
    form = await read_form(request)
    token, password = form.get("token", ""), form.get("new_password", "")
    if password != form.get("password_again", ""):
        return page(request, "account/reset.html", 422, token=token, sent=False, values={},
                    errors={"password_again": "Пароли не совпадают"}, problem="Проверьте введённые данные")
    try:
        await api(request, "POST", "/auth/password-reset/confirm", anonymous=True,
                  json={"token": token, "new_password": password})
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        return page(request, "account/reset.html", 422, token=token, sent=False, values={},
                    errors=problem.field_errors() or {"new_password": problem.title}, problem=problem.title)
    request.state.session.flash("Пароль изменён. Войдите с новым паролем.")
    return redirect("/login")
