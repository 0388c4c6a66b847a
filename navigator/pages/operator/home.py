"""The cabinet's first page: what waits for the operator — certificates to verify, providers' applications,
disputes to decide — and how last month's close stands."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.pages.operator.common import last_month, maybe, municipality_of, this_year
from navigator.roles import require_role
from navigator.web import page

router = APIRouter(prefix="/operator")


@router.get("")
async def home(request: Request):
    account = require_role(request, "operator")
    m, month = municipality_of(account), last_month()
    pending, applications, disputes, close, period = await asyncio.gather(
        maybe(request, "GET", "/children", params={"certificate_status": "pending_verification", "page_size": 5}),
        maybe(request, "GET", "/providers", params={"status": "submitted", "municipality": m, "page_size": 5}),
        maybe(request, "GET", "/disputes", params={"status": "awaiting_operator", "page_size": 5}),
        maybe(request, "GET", f"/municipalities/{m}/months/{month}"),
        maybe(request, "GET", f"/municipalities/{m}/periods/{this_year()}"))
    return page(request, "operator/home.html", pending=pending, applications=applications, disputes=disputes,
                close=close, month=month, period=period, year=this_year())
