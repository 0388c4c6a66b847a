"""The parent's cabinet in one call: children with certificate balances, applications,
contracts and recent debits. A service that is down leaves its part marked unavailable."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request

from gateway.api.schemas import CabinetOut, Part
from gateway.domain import access
from pfdo_kit.auth import forbidden
from pfdo_kit.dependencies import CurrentPrincipal
from pfdo_kit.errors import ProblemError, problem_responses

router = APIRouter(prefix="/api/v1", tags=["auth"])


async def _part(fetch) -> Part:
    try:
        return Part(status="ok", data=await fetch)
    except ProblemError as exc:
        return Part(status="unavailable", reason=exc.title)


async def _children(request: Request) -> list[dict]:
    ups = request.app.state.upstreams
    page = await ups.get_json("certificates", "/api/v1/children", request, params={"page_size": 100})
    children = page["items"]

    async def with_certificate(child: dict) -> dict:
        if child.get("certificate_id"):
            child["certificate"] = await ups.get_json("certificates", f"/api/v1/certificates/{child['certificate_id']}",
                                                      request)
        return child
    return list(await asyncio.gather(*(with_certificate(c) for c in children)))


@router.get("/me/cabinet", response_model=CabinetOut, summary="Личный кабинет родителя",
            responses=problem_responses(401, 403))
async def cabinet(request: Request, principal: CurrentPrincipal):
    if not access.has_cabinet(principal):
        raise forbidden()
    ups = request.app.state.upstreams
    children, applications, contracts, debits = await asyncio.gather(
        _part(_children(request)),
        _part(ups.get_json("catalog", "/api/v1/applications", request)),
        _part(ups.get_json("billing", "/api/v1/contracts", request)),
        _part(ups.get_json("billing", "/api/v1/debits", request, params={"limit": 20})),
    )
    return CabinetOut(children=children, applications=applications, contracts=contracts, debits=debits)
