"""Liveness and readiness, for the orchestrator's probes (pfdo_kit/internal.py keeps them inside).

- `/health/live` fails (503) only for a process that will not recover by itself: its outbox relay or a
  background job has died (`ServiceRuntime.stuck`). An event loop that does not answer at all fails the
  probe by its timeout. A database or broker outage is not a reason to restart anything.
- `/health/ready` fails (503) only when the process cannot serve: its database does not answer. The
  broker is reported but does not decide: while it is away writes still commit into the outbox, which
  the relay publishes when it is back — marking every pod unready would take the whole site down for
  an outage the outbox exists to ride out.
- `/health/status` is for an operator's overview (the gateway's `GET /api/v1/admin/platform`): readiness,
  the broker, the outbox backlog and the dead-letter queues, read when asked (pfdo_kit/process_status.py)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from pfdo_kit.process_status import database_ok, status

router = APIRouter(prefix="/health", tags=["health"])

_LIVENESS = {"application/json": {"schema": {"type": "object", "properties": {
    "service": {"type": "string"},
    "status": {"type": "string", "enum": ["ok", "stuck"]},
    "dead": {"type": "array", "items": {"type": "string"}}}}}}


@router.get("/live", responses={200: {"description": "Процесс работает", "content": _LIVENESS},
                                503: {"description": "Процесс не восстановится сам: перезапустите",
                                      "content": _LIVENESS}})
async def live(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    dead = runtime.stuck()
    return JSONResponse({"service": runtime.service, "status": "stuck" if dead else "ok", "dead": dead},
                        status_code=503 if dead else 200)


_READINESS = {"application/json": {"schema": {"type": "object", "properties": {
    "service": {"type": "string"},
    "status": {"type": "string", "enum": ["ok", "unavailable"]},
    "checks": {"type": "object", "additionalProperties": {"type": "string", "enum": ["ok", "down"]}}}}}}


@router.get("/ready", responses={200: {"description": "Готов (брокер может быть недоступен: события ждут в outbox)",
                                       "content": _READINESS},
                                 503: {"description": "База данных недоступна", "content": _READINESS}})
async def ready(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    database = await database_ok(runtime.engine)
    checks = {"database": database, "broker": runtime.broker_connected()}
    return JSONResponse(
        {"service": runtime.service, "status": "ok" if database else "unavailable",
         "checks": {k: "ok" if v else "down" for k, v in checks.items()}},
        status_code=200 if database else 503,
    )


_STATUS = {"application/json": {"schema": {"type": "object", "properties": {
    "service": {"type": "string"},
    "ready": {"type": "boolean"},
    "broker": {"type": "string", "enum": ["ok", "down"]},
    "outbox_unsent": {"type": "integer"},
    "outbox_oldest_age_s": {"type": ["number", "null"]},
    "dead_letters": {"type": "array", "items": {"type": "object", "properties": {
        "queue": {"type": "string"}, "messages": {"type": "integer"}}}},
    "error": {"type": ["string", "null"]}}}}}


@router.get("/status", responses={200: {"description": "Состояние процесса сейчас: готовность, брокер, outbox, "
                                                     "очереди недоставленных сообщений", "content": _STATUS}})
async def process_status(request: Request) -> JSONResponse:
    return JSONResponse(await status(request.app.state.runtime))
