"""The municipality's month closes: the list, one month's charges, batches, confirmations and invoices with its
progress, closing a month; and the disputes of debits that wait for the operator's decision."""
from __future__ import annotations

import uuid

from fastapi import APIRouter, Request

from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.operator.common import maybe, municipality_of
from navigator.pages.staff_common import kopecks, last_month, page_number, parse_month, shown
from navigator.roles import require_role
from navigator.web import api, download, page, redirect

router = APIRouter(prefix="/operator/months")


INVOICES_PAGE = 50


def _page_no(request: Request) -> int:
    return page_number(request.query_params.get("page"))


async def _months_page(request: Request, status_code: int = 200, **extra):
    account = require_role(request, "operator")
    found = await api(request, "GET", f"/municipalities/{municipality_of(account)}/months",
                      params={"page": _page_no(request), "page_size": 24})
    return page(request, "operator/months.html", status_code, found=found, month=extra.pop("month", last_month(request)),
                errors=extra.pop("errors", {}), **extra)


@router.get("")
async def months(request: Request):
    require_role(request, "operator")
    return await _months_page(request)


@router.post("/close")
async def close(request: Request):
    account = require_role(request, "operator")
    form = await read_form(request)
    month = (form.get("month") or "").strip()
    if not parse_month(month):
        return await _months_page(request, 422, month=month, errors={"month": "Месяц в виде ГГГГ-ММ, например 2026-09"},
                                  problem="Проверьте введённые данные")
    try:
        await api(request, "POST", f"/municipalities/{municipality_of(account)}/months/{month}/close")
    except ApiProblem as problem:
        if not shown(problem):
            raise
        return await _months_page(request, 409 if problem.status == 409 else 422, month=month,
                                  errors={"month": problem.field_errors().get("month") or problem.title},
                                  problem=problem.title)
    request.state.session.flash("Закрытие месяца запрошено: списания начисляются, ход виден на этой странице.")
    return redirect(f"/operator/months/{month}")


# The disputes come before /{month}: their paths would otherwise read as a month.
async def _dispute_page(request: Request, dispute_id: uuid.UUID, status_code: int = 200, **extra):
    dispute = await api(request, "GET", f"/disputes/{dispute_id}")
    return page(request, "operator/dispute.html", status_code, dispute=dispute, values=extra.pop("values", {}),
                errors=extra.pop("errors", {}), **extra)


@router.get("/disputes")
async def disputes(request: Request):
    require_role(request, "operator")
    found = await api(request, "GET", "/disputes", params={"status": "awaiting_operator", "page": _page_no(request),
                                                          "page_size": 25})
    return page(request, "operator/disputes.html", found=found)


@router.get("/disputes/{dispute_id}")
async def dispute(request: Request, dispute_id: uuid.UUID):
    require_role(request, "operator")
    return await _dispute_page(request, dispute_id)


@router.post("/disputes/{dispute_id}/decision")
async def decide(request: Request, dispute_id: uuid.UUID):
    require_role(request, "operator")
    form = await read_form(request)
    values = {"reversal": form.get("reversal", "").strip(), "comment": form.get("comment", "").strip()}
    errors = {}
    try:
        reversal_kop = kopecks(values["reversal"], required=True)
    except ValueError as bad:
        errors["reversal"], reversal_kop = str(bad), None
    if not values["comment"]:
        errors["comment"] = "Напишите обоснование решения"
    if errors:
        return await _dispute_page(request, dispute_id, 422, values=values, errors=errors,
                                   problem="Проверьте введённые данные", idempotency_key=form.get("idempotency_key"))
    try:
        await api(request, "POST", f"/disputes/{dispute_id}/decision",
                  json={"reversal_kop": reversal_kop, "comment": values["comment"]},
                  idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if not shown(problem):
            raise
        found = {("reversal" if k == "reversal_kop" else "comment"): v for k, v in problem.field_errors().items()}
        return await _dispute_page(request, dispute_id, 409 if problem.status == 409 else 422, values=values,
                                   errors=found or {"reversal": problem.title}, problem=problem.title)
    request.state.session.flash("Решение по спору принято: возврат зачислится на сертификат.")
    return redirect(f"/operator/months/disputes/{dispute_id}")


@router.get("/{month}")
async def month_page(request: Request, month: str):
    account = require_role(request, "operator")
    if not parse_month(month):
        raise ApiProblem(404, {"title": "Нет такого месяца"})
    try:
        close_ = await api(request, "GET", f"/municipalities/{municipality_of(account)}/months/{month}")
    except ApiProblem as problem:
        if problem.status != 404:
            raise
        close_ = None
    invoices = None
    if close_ and close_.get("invoices_count"):
        invoices = await maybe(request, "GET", "/invoices", params={"month": month, "payer": municipality_of(account),
                                                                   "page": _page_no(request), "page_size": INVOICES_PAGE})
    return page(request, "operator/month.html", close=close_, invoices=invoices, month=month, errors={})


@router.get("/{month}/invoices/{invoice_id}")
async def invoice_file(request: Request, month: str, invoice_id: uuid.UUID, format: str = "csv"):
    require_role(request, "operator")
    return await download(request, f"/invoices/{invoice_id}", format, f"invoice-{parse_month(month) or 'month'}")
