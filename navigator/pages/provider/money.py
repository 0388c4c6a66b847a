"""The provider's money: invoices to each paying municipality by month (with their lines, as CSV or XLSX),
advances with each payer's part, and asking for this month's advance."""
from __future__ import annotations

import asyncio
import uuid

from fastapi import APIRouter, Request

from navigator.formatting import money as rubles
from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.provider.common import staff
from navigator.pages.staff_common import kopecks, month_or, page_number, status_of, this_month
from navigator.pages.staff_common import shown as shown_refusal
from navigator.web import api, download, page, redirect

router = APIRouter(prefix="/provider/money")


async def _money(request: Request, status_code: int = 200, **extra):
    staff(request)
    month = month_or(request.query_params.get("month"), "")
    number = page_number(request.query_params.get("page"))
    invoices, advances, names = await asyncio.gather(
        api(request, "GET", "/invoices", params={"month": month, "page": number, "page_size": 20}),
        api(request, "GET", "/advances", params={"page_size": 24}),
        municipalities(request))
    values = extra.pop("values", None) or {"month": this_month(request), "amount_kop": ""}
    return page(request, "provider/money.html", status_code, invoices=invoices, advances=advances["items"],
                month=month, names=names, values=values, errors=extra.pop("errors", {}), **extra)


@router.get("")
async def money(request: Request):
    return await _money(request)


@router.post("/advances")
async def ask_advance(request: Request):
    staff(request)
    form = await read_form(request)
    values = {"month": form.get("month", "").strip(), "amount_kop": form.get("amount_kop", "").strip()}
    body: dict = {"month": values["month"]}
    if values["amount_kop"]:
        try:
            amount = kopecks(values["amount_kop"])
        except ValueError:
            amount = None
        if not amount:
            return await _money(request, 422, values=values, problem="Проверьте введённые данные",
                                errors={"amount_kop": "Укажите сумму в рублях, например 48000 или 48000,50"})
        body["amount_kop"] = amount
    try:
        advance = await api(request, "POST", "/advances", json=body,
                            idempotency_key=form.get("idempotency_key") or None)
    except ApiProblem as problem:
        if not shown_refusal(problem):
            raise
        return await _money(request, status_of(problem), values=values, problem=problem.title,
                            errors=problem.field_errors() or {"month": problem.title})
    request.state.session.flash(f"Аванс за месяц выдан: {rubles(advance.get('amount_kop'))}.")
    return redirect("/provider/money#advances")


@router.get("/invoices/{invoice_id}")
async def invoice(request: Request, invoice_id: uuid.UUID):
    staff(request)
    found = await api(request, "GET", f"/invoices/{invoice_id}")
    return page(request, "provider/invoice.html", invoice=found)


@router.get("/invoices/{invoice_id}/file")
async def invoice_file(request: Request, invoice_id: uuid.UUID, format: str = "csv"):
    staff(request)
    return await download(request, f"/invoices/{invoice_id}", format, f"invoice-{invoice_id}")
