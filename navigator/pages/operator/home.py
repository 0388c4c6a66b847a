"""The cabinet's first page: what waits for the operator — certificates to verify, providers' applications,
disputes to decide — and how last month's close stands."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.pages.operator.common import maybe, municipality_of
from navigator.pages.staff_common import last_month, this_year
from navigator.roles import require_role
from navigator.web import page

router = APIRouter(prefix="/operator")


@router.get("")
async def home(request: Request):
    account = require_role(request, "operator")
    m, month, year = municipality_of(account), last_month(request), this_year(request)
    pending, applications, disputes, close, period = await asyncio.gather(
        maybe(request, "GET", "/children", params={"certificate_status": "pending_verification", "page_size": 5}),
        maybe(request, "GET", "/providers", params={"status": "submitted", "municipality": m, "page_size": 5}),
        maybe(request, "GET", "/disputes", params={"status": "awaiting_operator", "page_size": 5}),
        maybe(request, "GET", f"/municipalities/{m}/months/{month}"),
        maybe(request, "GET", f"/municipalities/{m}/periods/{year}"))
    return page(request, "operator/home.html", pending=pending, applications=applications, disputes=disputes,
                close=close, month=month, period=period, year=year)
