"""The catalog (search with filters and facet counts) and a program's page."""
from __future__ import annotations

import asyncio
import math
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from navigator.gateway import ApiProblem
from navigator.pages.lookups import municipalities
from navigator.pages.staff_common import digits, page_number
from navigator.texts import DIRECTIONS, SORTS
from navigator.web import api, page

router = APIRouter()
PAGE_SIZE = 12
FILTERS = ("q", "direction", "age", "municipality", "weekday", "after", "certificate", "free_seats", "ovz", "sort")


def _filters(request: Request) -> dict[str, str]:
    query = request.query_params
    chosen = {name: query.get(name, "").strip() for name in FILTERS}
    if chosen["direction"] not in DIRECTIONS:
        chosen["direction"] = ""
    if chosen["sort"] not in SORTS:
        chosen["sort"] = ""
    if not (digits(chosen["age"]) and 3 <= int(chosen["age"]) <= 18):
        chosen["age"] = ""
    if not (digits(chosen["weekday"]) and 0 <= int(chosen["weekday"]) <= 6):
        chosen["weekday"] = ""
    if chosen["after"] not in ("", "08:00", "12:00", "15:00", "17:00"):
        chosen["after"] = ""
    for flag in ("certificate", "free_seats", "ovz"):
        chosen[flag] = "true" if chosen[flag] in ("true", "on", "1") else ""
    chosen["q"] = chosen["q"][:200]
    return chosen


@router.get("/")
async def catalog(request: Request):
    chosen = _filters(request)
    number = min(page_number(request.query_params.get("page")), 9_999)
    params = {k: v for k, v in chosen.items() if v} | {"facets": "true", "page": number, "page_size": PAGE_SIZE}
    found, names = await asyncio.gather(api(request, "GET", "/programs", anonymous=True, params=params),
                                        municipalities(request))
    pages = max(1, math.ceil(found["total"] / PAGE_SIZE))
    base = {k: v for k, v in chosen.items() if v}

    def link(n: int) -> str:
        return "/?" + urlencode(base | {"page": n}) if n > 1 else "/" + ("?" + urlencode(base) if base else "")
    facets = found.get("facets") or {}
    counts = {name: {f["value"]: f["count"] for f in facets.get(name) or []}
              for name in ("direction", "level", "municipality", "age")}
    return page(request, "catalog/search.html", found=found, chosen=chosen, municipalities=names, counts=counts,
                facets=facets, number=number, pages=pages, link=link,
                filtered=any(v for k, v in base.items() if k not in ("q", "sort")))


@router.get("/suggest")
async def suggest(request: Request, q: str = ""):
    """Titles for the search box's list while typing (used by static/app.js)."""
    if len(q.strip()) < 2:
        return JSONResponse({"items": []})
    try:
        answer = await api(request, "GET", "/programs/suggest", anonymous=True, params={"q": q[:100]})
    except ApiProblem:
        return JSONResponse({"items": []})
    return JSONResponse({"items": answer["items"]}, headers={"Cache-Control": "private, max-age=30"})


async def _children(request: Request) -> list[dict]:
    if request.state.session.get("account", {}).get("role") != "parent":
        return []
    return (await api(request, "GET", "/children", params={"page_size": 100}))["items"]


async def _cost(request: Request, group_id: str, child: dict) -> dict:
    try:
        return await api(request, "GET", f"/groups/{group_id}/cost", params={"child_id": child["id"]})
    except ApiProblem as problem:
        return {"payment": "impossible", "reasons_ru": [problem.title], "monthly": [], "total_kop": 0}


async def costs_for(request: Request, groups: list[dict], children: list[dict]) -> dict[tuple[str, str], dict]:
    pairs = [(g["id"], c) for g in groups for c in children]
    answers = await asyncio.gather(*(_cost(request, gid, c) for gid, c in pairs))
    return {(gid, c["id"]): answer for (gid, c), answer in zip(pairs, answers)}


@router.get("/programs/{program_id}")
async def program(request: Request, program_id: str):
    found, reviews, names, children = await asyncio.gather(
        api(request, "GET", f"/programs/{program_id}", anonymous=True),
        api(request, "GET", f"/programs/{program_id}/reviews", anonymous=True, params={"page_size": 10}),
        municipalities(request), _children(request))
    costs = await costs_for(request, found.get("groups") or [], children)
    modules = {m["id"]: m for m in found.get("modules") or []}
    reviewable = await _reviewable(request, program_id, children)
    return page(request, "catalog/program.html", program=found, reviews=reviews, municipalities=names,
                children=children, costs=costs, modules=modules, reviewable=reviewable)


async def _reviewable(request: Request, program_id: str, children: list[dict]) -> list[dict]:
    """The children enrolled on this program (a signed or ended contract): their parent may review it."""
    if not children:
        return []
    contracts = (await api(request, "GET", "/contracts", params={"page_size": 100}))["items"]
    enrolled = {c["child_id"] for c in contracts if c["program_id"] == program_id and c["status"] in
                ("signed", "terminated") and c.get("signed_on")}
    return [c for c in children if c["id"] in enrolled]
