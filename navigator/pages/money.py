"""The family's debits with their explanation, disputes of a debit and their history."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.web import api, page, redirect, require_login

router = APIRouter(prefix="/cabinet")


@router.get("/debits")
async def debits(request: Request):
    require_login(request)
    found = await api(request, "GET", "/debits", params={"page_size": 100})
    return page(request, "cabinet/debits.html", debits=found["items"])


async def _debit(request: Request, charge_id: str) -> dict | None:
    found = await api(request, "GET", "/debits", params={"page_size": 100})
    return next((d for d in found["items"] if d["charge_id"] == charge_id), None)


@router.get("/debits/{charge_id}/dispute")
async def dispute_form(request: Request, charge_id: str):
    require_login(request)
    debit = await _debit(request, charge_id)
    if debit is None:
        raise ApiProblem(404, {"title": "Списание не найдено"})
    if debit.get("dispute_id"):
        return redirect(f"/cabinet/disputes/{debit['dispute_id']}")
    return page(request, "cabinet/dispute_new.html", debit=debit, values={}, errors={})


@router.post("/debits/{charge_id}/dispute")
async def open_dispute(request: Request, charge_id: str):
    require_login(request)
    form = await read_form(request)
    reason = form.get("reason", "").strip()
    try:
        dispute = await api(request, "POST", "/disputes", json={"charge_id": charge_id, "reason": reason},
                            idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 404:
            raise
        debit = await _debit(request, charge_id)
        return page(request, "cabinet/dispute_new.html", 422, debit=debit, values={"reason": reason},
                    errors=problem.field_errors() or {"reason": problem.title}, problem=problem.title)
    request.state.session.flash("Спор открыт: организатор ответит, а если не согласится — решит оператор.")
    return redirect(f"/cabinet/disputes/{dispute['id']}")


@router.get("/disputes")
async def disputes(request: Request):
    require_login(request)
    found = await api(request, "GET", "/disputes", params={"page_size": 100})
    return page(request, "cabinet/disputes.html", disputes=found["items"])


@router.get("/disputes/{dispute_id}")
async def dispute(request: Request, dispute_id: str):
    require_login(request)
    return page(request, "cabinet/dispute.html", dispute=await api(request, "GET", f"/disputes/{dispute_id}"))


@router.post("/disputes/{dispute_id}/withdraw")
async def withdraw(request: Request, dispute_id: str):
    require_login(request)
    form = await read_form(request)
    try:
        await api(request, "POST", f"/disputes/{dispute_id}/withdraw", json={"comment": form.get("comment") or None},
                  idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 404:
            raise
        request.state.session.flash(problem.title)
    return redirect(f"/cabinet/disputes/{dispute_id}")
