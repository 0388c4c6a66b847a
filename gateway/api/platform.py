"""GET /api/v1/admin/platform: every service's health, broker, outbox backlog and dead letters."""
from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.api.schemas import PlatformStatus
from gateway.domain import access
from gateway.queries.platform import platform
from pfdo_kit.auth import forbidden
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1", tags=["admin"])


@router.get("/admin/platform", response_model=PlatformStatus, summary="Состояние платформы",
            description="Администратор и региональный оператор: по каждому сервису (registry, certificates, catalog, "
                        "billing, notifications) и самому шлюзу — готов ли он (`/health/ready` за 2 с), есть ли "
                        "соединение с брокером, сколько событий ждут отправки в outbox и возраст самого старого, "
                        "сколько сообщений в каждой очереди недоставленных сообщений (DLQ) его потребителей. Всё "
                        "читается в момент запроса; не ответивший сервис — `ready: false` и `error`. Остальным — 403.",
            responses=problem_responses(401, 403))
async def platform_status(request: Request, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    if not access.sees_platform(principal):
        raise forbidden()
    auth = {"authorization": request.headers["authorization"]}
    services = await platform(request.app.state.upstreams, rt, auth)
    return PlatformStatus(checked_at=clock.now(), services=services)
