"""Every municipality's reports: the region's reconciliation of a month with each payer's line, one payer's
reconciliation, each municipality's month close, and the registers to download (CSV/XLSX)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, HTTPException, Request

from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.region.common import month_closes
from navigator.pages.staff_common import month_or, this_month
from navigator.roles import require_role
from navigator.web import api, download, page

router = APIRouter(prefix="/region/reports")

# kind → the API's path, whether it is of a month, the file's name
FILES = {"reconciliation": ("/reports/reconciliation", True, "sverka"),
         "certificates": ("/reports/certificates", False, "reestr-sertifikatov"),
         "contracts": ("/reports/contracts", False, "reestr-dogovorov"),
         "payments": ("/reports/payments", True, "reestr-platezhej")}


async def _reconciliation(request: Request, month: str, municipality: str | None) -> dict:
    """The reconciliation, or `{"error": …}`: it reads the certificates' ledger, which may not answer."""
    try:
        return await api(request, "GET", "/reports/reconciliation",
                         params={"month": month, "municipality": municipality})
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return {"error": problem.title}


@router.get("")
async def reports(request: Request):
    require_role(request, "regional_operator")
    month = month_or(request.query_params.get("month"), this_month(request))
    names = await municipalities(request)
    municipality = request.query_params.get("municipality") or None
    if municipality not in names:
        municipality = None
    found, closes = await asyncio.gather(_reconciliation(request, month, municipality),
                                         month_closes(request, list(names), month))
    return page(request, "region/reports.html", month=month, municipality=municipality, names=names,
                reconciliation=found, closes=closes)


@router.get("/{kind}")
async def report_file(request: Request, kind: str, format: str = "csv"):
    require_role(request, "regional_operator")
    if kind not in FILES:
        raise HTTPException(404)
    path, monthly, name = FILES[kind]
    names = await municipalities(request)
    municipality = request.query_params.get("municipality") or None
    if municipality not in names:
        municipality = None
    params = {"municipality": municipality}
    parts = [name, municipality or "region"]
    if monthly:
        params["month"] = month_or(request.query_params.get("month"), this_month(request))
        parts.append(params["month"])
    return await download(request, path, format, "-".join(parts), **params)
