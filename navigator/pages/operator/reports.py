"""A month's reconciliation of the municipality and its registers — certificates, contracts, payments — shown in
short and downloaded whole as CSV or XLSX (the API renders the files; they pass through)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator import texts
from navigator.pages.operator.common import maybe, municipality_of
from navigator.pages.staff_common import last_month, month_or
from navigator.roles import require_role
from navigator.web import download, page

router = APIRouter(prefix="/operator/reports")
SHORT = 10


def _filters(request: Request) -> dict:
    query = request.query_params
    certificate_status = query.get("certificate_status") or ""
    contract_status = query.get("contract_status") or ""
    return {"month": month_or(query.get("month"), last_month(request)),
            "certificate_status": certificate_status if certificate_status in texts.CERTIFICATE_STATUS else "",
            "contract_status": contract_status if contract_status in texts.CONTRACT_STATUS else ""}


@router.get("")
async def reports(request: Request):
    account = require_role(request, "operator")
    m, chosen = municipality_of(account), _filters(request)
    reconciliation, certificates, contracts, payments = await asyncio.gather(
        maybe(request, "GET", "/reports/reconciliation", params={"month": chosen["month"], "municipality": m}),
        maybe(request, "GET", "/reports/certificates", params={"municipality": m, "status": chosen["certificate_status"],
                                                              "page_size": SHORT}),
        maybe(request, "GET", "/reports/contracts", params={"municipality": m, "status": chosen["contract_status"],
                                                           "page_size": SHORT}),
        maybe(request, "GET", "/reports/payments", params={"month": chosen["month"], "municipality": m}))
    return page(request, "operator/reports.html", chosen=chosen, reconciliation=reconciliation,
                certificates=certificates, contracts=contracts, payments=payments, short=SHORT)


@router.get("/reconciliation")
async def reconciliation_file(request: Request, format: str = "csv"):
    account = require_role(request, "operator")
    m, month = municipality_of(account), _filters(request)["month"]
    return await download(request, "/reports/reconciliation", format, f"reconciliation-{month}-{m}", month=month,
                          municipality=m)


@router.get("/certificates")
async def certificates_file(request: Request, format: str = "csv"):
    account = require_role(request, "operator")
    m, status = municipality_of(account), _filters(request)["certificate_status"]
    return await download(request, "/reports/certificates", format, f"certificates-{m}", municipality=m,
                          status=status)


@router.get("/contracts")
async def contracts_file(request: Request, format: str = "csv"):
    account = require_role(request, "operator")
    m, status = municipality_of(account), _filters(request)["contract_status"]
    return await download(request, "/reports/contracts", format, f"contracts-{m}", municipality=m, status=status)


@router.get("/payments")
async def payments_file(request: Request, format: str = "csv"):
    account = require_role(request, "operator")
    m, month = municipality_of(account), _filters(request)["month"]
    return await download(request, "/reports/payments", format, f"payments-{month}-{m}", month=month,
                          municipality=m)
