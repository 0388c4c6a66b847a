"""The family's contracts: the offer to read and sign, the reservation it holds, withdrawing (terminating)."""
from __future__ import annotations

import asyncio
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import Response

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.staff_common import parse_month, this_month
from navigator.web import api, document, page, redirect, require_login

router = APIRouter(prefix="/cabinet/contracts")


@router.get("")
async def contracts(request: Request):
    require_login(request)
    found, children = await asyncio.gather(api(request, "GET", "/contracts", params={"page_size": 100}),
                                           api(request, "GET", "/children", params={"page_size": 100}))
    names = {c["id"]: c["full_name"] for c in children["items"]}
    return page(request, "cabinet/contracts.html", contracts=list(reversed(found["items"])), names=names)


async def _offer(request: Request, contract: dict) -> dict | None:
    """The offer document's hash and size, as the family reads it now; None when there is none to read."""
    if contract["status"] not in ("offered", "signed", "terminated"):
        return None
    try:
        answer = await document(request, f"/contracts/{contract['id']}/offer")
    except ApiProblem as problem:
        if problem.status in (404, 409):
            return None
        raise
    return {"sha256": answer.headers.get("x-document-sha256", ""), "kb": max(1, len(answer.content) // 1024)}


def shown_month(wanted: str | None, months: list[str], current: str) -> str:
    """The contract's month whose attendance is shown: the one asked for if the contract pays it, else this
    month, or the contract's nearest end when this month is outside it."""
    if wanted in months:
        return wanted
    if current in months:
        return current
    return months[0] if current < months[0] else months[-1]


async def _attendance(request: Request, contract: dict, wanted: str | None) -> dict | None:
    """The provider's marks of the child's lessons in one month of a signed contract (None: nothing to show)."""
    months = [m["month"] for m in contract["months"]]
    if contract["status"] not in ("signed", "terminated") or not months:
        return None
    month = shown_month(parse_month(wanted), months, this_month(request))
    try:  # a family reads its own child's line of the group's journal
        roster = await api(request, "GET", f"/groups/{contract['group_id']}/attendance",
                           params={"month": month, "page_size": 100})
    except ApiProblem as problem:
        if problem.status >= 500:
            raise
        roster = {"items": []}
    line = next((line for line in roster["items"] if line["contract_id"] == contract["id"]), None)
    marks = sorted(line["marks"], key=lambda m: m["lesson_date"]) if line else []
    planned = next(m["planned_lessons"] for m in contract["months"] if m["month"] == month)
    return {"month": month, "months": months, "marks": marks, "attended": sum(m["present"] for m in marks),
            "planned": planned}


async def _contract_page(request: Request, contract_id: str, status_code: int = 200, month: str | None = None,
                         **extra):
    contract = await api(request, "GET", f"/contracts/{contract_id}")
    child, account, offer, attendance = await asyncio.gather(
        api(request, "GET", f"/children/{contract['child_id']}"), api(request, "GET", "/me"),
        _offer(request, contract), _attendance(request, contract, month))
    return page(request, "cabinet/contract.html", status_code, contract=contract, child=child, parent=account,
                offer=offer, attendance=attendance, errors=extra.pop("errors", {}), values=extra.pop("values", {}),
                **extra)


@router.get("/{contract_id}/offer.pdf")
async def offer_pdf(request: Request, contract_id: str):
    """The offer as the API renders it (the signed one byte for byte), shown by the browser."""
    require_login(request)
    answer = await document(request, f"/contracts/{contract_id}/offer")
    return Response(answer.content, media_type="application/pdf", headers={
        "Content-Disposition": f'inline; filename="offer-{contract_id}.pdf"',
        "X-Document-SHA256": answer.headers.get("x-document-sha256", "")})


@router.get("/{contract_id}")
async def contract(request: Request, contract_id: str, month: str | None = None):
    require_login(request)
    return await _contract_page(request, contract_id, month=month)


@router.post("/{contract_id}/sign")
async def sign(request: Request, contract_id: str):
    require_login(request)
    form = await read_form(request)
    if not form.flag("agree"):
        return await _contract_page(request, contract_id, 422, errors={"agree": "Подтвердите, что прочитали оферту"},
                                    problem="Проверьте введённые данные")
    read = form.get("document_sha256") or None
    try:
        await api(request, "POST", f"/contracts/{contract_id}/sign", json={"document_sha256": read} if read else None)
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 404:
            raise
        return await _contract_page(request, contract_id, 409, errors={"agree": problem.title}, problem=problem.title)
    request.state.session.flash("Договор подписан: ребёнок зачислен, средства сертификата зарезервированы.")
    return redirect(f"/cabinet/contracts/{contract_id}")


@router.post("/{contract_id}/terminate")
async def terminate(request: Request, contract_id: str):
    require_login(request)
    form = await read_form(request)
    values = {"terminated_on": form.get("terminated_on", "").strip(), "reason": form.get("reason", "").strip()}
    try:
        date.fromisoformat(values["terminated_on"])
    except ValueError:
        return await _contract_page(request, contract_id, 422, values=values, problem="Проверьте введённые данные",
                                    errors={"terminated_on": "Укажите дату: ГГГГ-ММ-ДД"})
    try:
        await api(request, "POST", f"/contracts/{contract_id}/terminate", json=values,
                  idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 404:
            raise
        return await _contract_page(request, contract_id, 422, values=values, problem=problem.title,
                                    errors=problem.field_errors() or {"reason": problem.title})
    request.state.session.flash("Договор расторгнут.")
    return redirect(f"/cabinet/contracts/{contract_id}")
