"""The cabinet's first page: what waits for the region — providers' applications to decide, published programs
not paid by the certificate, and each municipality's month close."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.region.common import month_close
from navigator.pages.staff_common import bounded, previous_month, this_month
from navigator.roles import require_role
from navigator.web import api, page

router = APIRouter(prefix="/region")


async def _or_none(request: Request, path: str, params: dict) -> dict | None:
    """A list the overview shows if its service answers; the page stands without it."""
    try:
        return await api(request, "GET", path, params=params)
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return None


@router.get("")
async def home(request: Request):
    require_role(request, "regional_operator")
    names = await municipalities(request)
    month = this_month(request)
    earlier = previous_month(month)
    codes = list(names)
    waiting, uncertified, found = await asyncio.gather(
        _or_none(request, "/providers", {"status": "submitted", "page_size": 10}),
        _or_none(request, "/programs", {"certificate": "false", "page_size": 1}),
        bounded(month_close(request, code, m) for m in (month, earlier) for code in codes))
    closes, closes_before = dict(zip(codes, found[:len(codes)])), dict(zip(codes, found[len(codes):]))
    return page(request, "region/home.html", names=names, waiting=waiting, uncertified=uncertified, month=month,
                earlier=earlier, closes=closes, closes_before=closes_before)
