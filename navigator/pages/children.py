"""A family's children and their certificates: adding a child, asking for the certificate, its status,
what to do next and its money."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.web import api, page, redirect, require_login

router = APIRouter(prefix="/cabinet")
CHILD_FIELDS = ("full_name", "birth_date", "snils", "municipality")


@router.get("/children/new")
async def child_form(request: Request):
    require_login(request)
    names = await municipalities(request)
    own = request.state.session.get("account", {}).get("municipality")
    return page(request, "cabinet/child_new.html", municipalities=names, values={"municipality": own or ""},
                errors={})


@router.post("/children/new")
async def add_child(request: Request):
    require_login(request)
    form = await read_form(request)
    values = {k: form.get(k, "").strip() for k in CHILD_FIELDS}
    try:
        child = await api(request, "POST", "/children", json={**values, "ovz": form.flag("ovz")})
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 403:
            raise
        return page(request, "cabinet/child_new.html", 422, municipalities=await municipalities(request),
                    values=values | {"ovz": form.flag("ovz")}, errors=problem.field_errors(), problem=problem.title)
    try:
        certificate = await api(request, "POST", f"/children/{child['id']}/certificate")
    except ApiProblem as problem:
        request.state.session.flash(f"Ребёнок добавлен, но сертификат не выдан: {problem.title}")
        return redirect("/cabinet")
    request.state.session.flash(f"Ребёнок добавлен, сертификат № {certificate['number']} выдан и ждёт проверки.")
    return redirect(f"/cabinet/certificates/{certificate['id']}")


@router.post("/children/{child_id}/certificate")
async def request_certificate(request: Request, child_id: str):
    require_login(request)
    await read_form(request)
    try:
        certificate = await api(request, "POST", f"/children/{child_id}/certificate")
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 404:
            raise
        request.state.session.flash(problem.title)
        return redirect("/cabinet")
    return redirect(f"/cabinet/certificates/{certificate['id']}")


@router.get("/certificates/{certificate_id}")
async def certificate(request: Request, certificate_id: str):
    require_login(request)
    found, ledger = await asyncio.gather(
        api(request, "GET", f"/certificates/{certificate_id}"),
        api(request, "GET", f"/certificates/{certificate_id}/ledger", params={"page_size": 100}))
    child = await api(request, "GET", f"/children/{found['child_id']}") if found.get("child_id") else None
    return page(request, "cabinet/certificate.html", certificate=found, child=child,
                ledger=list(reversed(ledger["items"])), municipalities=await municipalities(request))
