"""Families' disputes of the provider's debits: those awaiting its answer (and the rest to look back at), one
dispute with its history, and the answer — agree in full, in part (how much to return) or disagree."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.provider.common import staff
from navigator.pages.staff_common import kopecks, page_number, status_of
from navigator.pages.staff_common import shown as shown_refusal
from navigator.texts import DISPUTE_ANSWER, DISPUTE_STATUS
from navigator.web import api, page, redirect

router = APIRouter(prefix="/provider/money/disputes")


@router.get("")
async def disputes(request: Request, status: str = "awaiting_provider"):
    staff(request)
    status = status if status in DISPUTE_STATUS or status == "all" else "awaiting_provider"
    number = page_number(request.query_params.get("page"))
    found = await api(request, "GET", "/disputes", params={"status": None if status == "all" else status,
                                                            "page": number, "page_size": 20})
    return page(request, "provider/disputes.html", data=found, status=status)


async def _dispute_page(request: Request, dispute_id: uuid.UUID, status_code: int = 200, **extra):
    staff(request)
    found = await api(request, "GET", f"/disputes/{dispute_id}")
    return page(request, "provider/dispute.html", status_code, dispute=found, values=extra.pop("values", {}),
                errors=extra.pop("errors", {}), **extra)


@router.get("/{dispute_id}")
async def dispute(request: Request, dispute_id: uuid.UUID):
    return await _dispute_page(request, dispute_id)


@router.post("/{dispute_id}/answer")
async def answer(request: Request, dispute_id: uuid.UUID):
    staff(request)
    form = await read_form(request)
    values = {k: form.get(k, "").strip() for k in ("answer", "reversal_kop", "comment")}
    if values["answer"] not in DISPUTE_ANSWER:
        return await _dispute_page(request, dispute_id, 422, values=values, problem="Проверьте введённые данные",
                                   errors={"answer": "Выберите ответ"})
    body: dict = {"answer": values["answer"]}
    if values["comment"]:
        body["comment"] = values["comment"]
    if values["answer"] == "agree_part":
        try:
            amount = kopecks(values["reversal_kop"])
        except ValueError:
            amount = None
        if not amount:
            return await _dispute_page(request, dispute_id, 422, values=values, problem="Проверьте введённые данные",
                                       errors={"reversal_kop": "Укажите, сколько вернуть, в рублях"})
        body["reversal_kop"] = amount
    try:
        await api(request, "POST", f"/disputes/{dispute_id}/answer", json=body,
                  idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if not shown_refusal(problem):
            raise
        return await _dispute_page(request, dispute_id, status_of(problem), values=values, problem=problem.title,
                                   errors=problem.field_errors() or {"answer": problem.title})
    request.state.session.flash("Ответ на спор отправлен." if values["answer"] != "agree_full"
                                else "Вы согласились: оспоренная сумма вернётся на сертификат, спор решён.")
    return redirect(f"/provider/money/disputes/{dispute_id}")
