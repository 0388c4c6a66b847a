"""The region's rules as billing applies them, and every municipality's funding period of a year: read only —
they come from the region's installation file."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.staff_common import bounded, this_year
from navigator.roles import require_role
from navigator.web import api, page

router = APIRouter(prefix="/region/rules")


async def _rules(request: Request) -> dict | None:
    try:
        rules = await api(request, "GET", "/rules")
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return None
    return rules if isinstance(rules, dict) else None


async def _period(request: Request, municipality: str, year: int) -> dict:
    """The municipality's period of `year`; `{"missing": True}` when none is set, `{"error": …}` on a failure."""
    try:
        return await api(request, "GET", f"/municipalities/{municipality}/periods/{year}")
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return {"missing": True} if problem.status == 404 else {"error": problem.title}


@router.get("")
async def rules(request: Request):
    require_role(request, "regional_operator")
    year = request.query_params.get("year") or ""
    year = min(2100, max(2020, int(year))) if year.isascii() and year.isdigit() else this_year(request)
    names = await municipalities(request)
    found, periods = await asyncio.gather(_rules(request), bounded(_period(request, code, year) for code in names))
    return page(request, "region/rules.html", rules=found, year=year, names=names,
                periods=dict(zip(names, periods, strict=True)))
