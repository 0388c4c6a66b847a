"""The parent's cabinet in one call: children with certificate balances, applications,
contracts and recent debits. A service that is down leaves its part marked unavailable."""
from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, Request
from pydantic import BaseModel, ValidationError

from gateway.api.schemas import (
    ApplicationsPart,
    CabinetChildPage,
    CabinetOut,
    ChildrenPart,
    ContractsPart,
    DebitsPart,
)
from gateway.domain import access
from pfdo_kit.auth import forbidden
from pfdo_kit.dependencies import CurrentPrincipal
from pfdo_kit.errors import ProblemError, problem_responses

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/v1", tags=["cabinet"])


async def _part(part: type[BaseModel], fetch) -> BaseModel:
    try:
        return part(status="ok", data=await fetch)
    except ProblemError as exc:
        return part(status="unavailable", reason=exc.title)
    except ValidationError:  # a service answering out of its contract: that part is not shown
        log.warning("cabinet part %s does not fit its model", part.__name__)
        return part(status="unavailable", reason="Сервис ответил не по контракту")


async def _children(request: Request) -> dict:
    ups = request.app.state.upstreams
    page = await ups.get_json("certificates", "/api/v1/children", request, params={"page_size": 100})

    async def with_certificate(child: dict) -> dict:
        if child.get("certificate_id"):
            child["certificate"] = await ups.get_json("certificates", f"/api/v1/certificates/{child['certificate_id']}",
                                                      request)
        return child
    page["items"] = list(await asyncio.gather(*(with_certificate(c) for c in page["items"])))
    return CabinetChildPage.model_validate(page)


@router.get("/me/cabinet", response_model=CabinetOut, summary="Личный кабинет родителя",
            description="Главный экран родителя одним запросом: дети с сертификатами и их балансами (до 100), заявки "
                        "(первая страница, с названиями и расписанием), договоры (первая страница) и последние 20 "
                        "списаний. Каждая часть приходит со статусом: если сервис части недоступен, она помечена "
                        "unavailable с причиной, остальные приходят. Только для родителя (иначе 403).",
            responses=problem_responses(401, 403))
async def get_cabinet(request: Request, principal: CurrentPrincipal):
    if not access.has_cabinet(principal):
        raise forbidden()
    ups = request.app.state.upstreams
    children, applications, contracts, debits = await asyncio.gather(
        _part(ChildrenPart, _children(request)),
        _part(ApplicationsPart, ups.get_json("catalog", "/api/v1/applications", request)),
        _part(ContractsPart, ups.get_json("billing", "/api/v1/contracts", request)),
        _part(DebitsPart, ups.get_json("billing", "/api/v1/debits", request, params={"page_size": 20})),
    )
    return CabinetOut(children=children, applications=applications, contracts=contracts, debits=debits)
