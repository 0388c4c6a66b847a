"""Certificates of the municipality: find one by number, by the child's name or СНИЛС (by default those awaiting
verification); check the documents and activate it, suspend, reinstate or close it."""
from __future__ import annotations

import asyncio
import re
import uuid

from fastapi import APIRouter, Request

from navigator import texts
from navigator.forms import read_form
from navigator.gateway import ApiProblem
from navigator.pages.staff_common import page_number, shown
from navigator.roles import require_role
from navigator.web import api, page, redirect

router = APIRouter(prefix="/operator/certificates")
STATUSES = ("pending_verification", "active", "suspended", "closed")
FOUND_AT_MOST = 50
NUMBER_SEPARATORS = re.compile(r"[\s\u00a0-]+")


async def _list_page(request: Request, status_code: int = 200, *, q: str = "", status: str | None = None,
                     **extra):
    """The children and their certificates: those of `status` (by default awaiting verification), or the ones a
    posted search by name, СНИЛС or number found."""
    if status is None:
        status = request.query_params.get("status")
        status = ("" if q else "pending_verification") if status is None else status
    if status not in STATUSES:
        status = ""
    page_no = 1 if q else page_number(request.query_params.get("page"))
    found = await api(request, "GET", "/children", params={"certificate_status": status, "q": q, "page": page_no,
                                                          "page_size": FOUND_AT_MOST if q else 25})
    return page(request, "operator/certificates.html", status_code, found=found, q=q, status=status,
                number=extra.pop("number", ""), errors=extra.pop("errors", {}), searched=bool(q), **extra)


@router.get("")
async def certificates(request: Request):
    require_role(request, "operator")
    return await _list_page(request)


@router.post("")
async def search(request: Request):
    """A search by name, СНИЛС or number is posted, never put in the address (browser history, proxies' logs):
    the answer is this page itself."""
    require_role(request, "operator")
    form = await read_form(request)
    if "number" in form:
        return await _by_number(request, (form.get("number") or "").strip()[:40])
    return await _list_page(request, q=(form.get("q") or "").strip()[:200], status=form.get("status") or "")


async def _by_number(request: Request, number: str):
    typed = NUMBER_SEPARATORS.sub("", number)
    if not (len(typed) == 10 and typed.isascii() and typed.isdigit()):
        message = "Номер сертификата — 10 цифр"
        return await _list_page(request, 422, number=number, errors={"number": message}, problem=message)
    try:
        certificate = await api(request, "GET", f"/certificates/by-number/{typed}")
    except ApiProblem as problem:
        if problem.status >= 500 or problem.status == 401:
            raise
        message = ("Сертификата с таким номером нет в вашем муниципалитете" if problem.status == 404
                   else problem.field_errors().get("number") or problem.title)
        return await _list_page(request, 422, number=number, errors={"number": message}, problem=message)
    return redirect(f"/operator/certificates/{certificate['id']}")


async def _certificate_page(request: Request, certificate_id: uuid.UUID, status_code: int = 200, **extra):
    page_no = page_number(request.query_params.get("page"))
    certificate, ledger = await asyncio.gather(
        api(request, "GET", f"/certificates/{certificate_id}"),
        api(request, "GET", f"/certificates/{certificate_id}/ledger", params={"page": page_no, "page_size": 20}))
    child = await api(request, "GET", f"/children/{certificate['child_id']}") if certificate.get("child_id") else None
    return page(request, "operator/certificate.html", status_code, certificate=certificate, child=child,
                ledger=ledger, errors=extra.pop("errors", {}), ticked=extra.pop("ticked", set()), **extra)


@router.get("/{certificate_id}")
async def certificate(request: Request, certificate_id: uuid.UUID):
    require_role(request, "operator")
    return await _certificate_page(request, certificate_id)


async def _act(request: Request, certificate_id: uuid.UUID, action: str, body: dict | None, done: str, field: str,
               **extra):
    try:
        await api(request, "POST", f"/certificates/{certificate_id}/{action}", json=body)
    except ApiProblem as problem:
        if not shown(problem):
            raise
        return await _certificate_page(request, certificate_id, 409 if problem.status == 409 else 422,
                                       errors=problem.field_errors() or {field: problem.title},
                                       problem=problem.title, **extra)
    request.state.session.flash(done)
    return redirect(f"/operator/certificates/{certificate_id}")


@router.post("/{certificate_id}/activate")
async def activate(request: Request, certificate_id: uuid.UUID):
    require_role(request, "operator")
    form = await read_form(request)
    ticked = {name for name in texts.DOCUMENTS_TO_CHECK if form.flag(name)}
    if len(ticked) < len(texts.DOCUMENTS_TO_CHECK):
        message = "Отметьте все три документа: сертификат активируют только после их проверки"
        return await _certificate_page(request, certificate_id, 422, errors={"documents": message},
                                       problem="Документы не проверены", ticked=ticked)
    return await _act(request, certificate_id, "activate", None,
                      "Сертификат активирован: семья получит уведомление.", "documents", ticked=ticked)


@router.post("/{certificate_id}/suspend")
async def suspend(request: Request, certificate_id: uuid.UUID):
    require_role(request, "operator")
    form = await read_form(request)
    reason = (form.get("reason") or "").strip()
    return await _act(request, certificate_id, "suspend", {"reason": reason or None},
                      "Сертификат приостановлен: новые записи им не оплачиваются.", "reason")


@router.post("/{certificate_id}/reinstate")
async def reinstate(request: Request, certificate_id: uuid.UUID):
    require_role(request, "operator")
    await read_form(request)
    return await _act(request, certificate_id, "reinstate", None, "Сертификат снова действует.", "reinstate")


@router.post("/{certificate_id}/close")
async def close(request: Request, certificate_id: uuid.UUID):
    require_role(request, "operator")
    form = await read_form(request)
    reason = form.get("close_reason") or ""
    if reason not in texts.CLOSE_REASONS:
        return await _certificate_page(request, certificate_id, 422, problem="Проверьте введённые данные",
                                       errors={"close_reason": "Выберите причину закрытия"})
    return await _act(request, certificate_id, "close", {"reason": reason},
                      "Сертификат закрыт: свободный остаток сгорел, резервы договоров остались.", "close_reason")
