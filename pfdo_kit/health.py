"""Liveness (the process answers) and readiness (its database and broker answer)."""
from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

router = APIRouter(prefix="/health", tags=["health"])


@router.get("/live")
async def live() -> dict[str, str]:
    return {"status": "ok"}


_READINESS = {"application/json": {"schema": {"type": "object", "properties": {
    "service": {"type": "string"},
    "status": {"type": "string", "enum": ["ok", "unavailable"]},
    "checks": {"type": "object", "additionalProperties": {"type": "string", "enum": ["ok", "down"]}}}}}}


@router.get("/ready", responses={200: {"description": "Готов", "content": _READINESS},
                                 503: {"description": "База данных или брокер недоступны", "content": _READINESS}})
async def ready(request: Request) -> JSONResponse:
    runtime = request.app.state.runtime
    checks = {"database": await _database_ok(runtime), "broker": runtime.broker_connected()}
    ok = all(checks.values())
    return JSONResponse(
        {"service": runtime.service, "status": "ok" if ok else "unavailable", "checks": {k: "ok" if v else "down" for k, v in checks.items()}},
        status_code=200 if ok else 503,
    )


async def _database_ok(runtime) -> bool:
    try:
        async with asyncio.timeout(2):
            async with runtime.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
