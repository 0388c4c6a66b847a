"""The cabinet's first page: what waits for the region — providers' applications to decide, published programs
not paid by the certificate, and each municipality's month close."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.region.common import month_closes, previous_month, this_month
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
    month = this_month()
    earlier = previous_month(month)
    waiting, uncertified, closes, closes_before = await asyncio.gather(
        _or_none(request, "/providers", {"status": "submitted", "page_size": 10}),
        _or_none(request, "/programs", {"certificate": "false", "page_size": 1}),
        month_closes(request, list(names), month), month_closes(request, list(names), earlier))
    return page(request, "region/home.html", names=names, waiting=waiting, uncertified=uncertified, month=month,
                earlier=earlier, closes=closes, closes_before=closes_before)
