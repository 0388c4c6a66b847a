"""The family's contracts: the offer to read and sign, the reservation it holds, withdrawing (terminating)."""
from __future__ import annotations

import asyncio
from datetime import date

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.web import api, page, redirect, require_login

router = APIRouter(prefix="/cabinet/contracts")


@router.get("")
async def contracts(request: Request):
    require_login(request)
    found, children = await asyncio.gather(api(request, "GET", "/contracts", params={"page_size": 100}),
                                           api(request, "GET", "/children", params={"page_size": 100}))
    names = {c["id"]: c["full_name"] for c in children["items"]}
    return page(request, "cabinet/contracts.html", contracts=list(reversed(found["items"])), names=names)


async def _contract_page(request: Request, contract_id: str, status_code: int = 200, **extra):
    contract = await api(request, "GET", f"/contracts/{contract_id}")
    child, account = await asyncio.gather(api(request, "GET", f"/children/{contract['child_id']}"),
                                          api(request, "GET", "/me"))
    return page(request, "cabinet/contract.html", status_code, contract=contract, child=child, parent=account,
                errors=extra.pop("errors", {}), values=extra.pop("values", {}), **extra)


@router.get("/{contract_id}")
async def contract(request: Request, contract_id: str):
    require_login(request)
    return await _contract_page(request, contract_id)


@router.post("/{contract_id}/sign")
async def sign(request: Request, contract_id: str):
    require_login(request)
    form = await read_form(request)
    if not form.flag("agree"):
        return await _contract_page(request, contract_id, 422, errors={"agree": "Подтвердите, что прочитали оферту"},
                                    problem="Проверьте введённые данные")
    try:
        await api(request, "POST", f"/contracts/{contract_id}/sign")
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
