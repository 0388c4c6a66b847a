"""Reading another service's API for a report (never to finish an event's work): the caller's
token is forwarded, so the other service checks the same rights. Upstream trouble is a 502,
a timeout a 504, as problem+json."""
from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

from pfdo_kit.context import request_id
from pfdo_kit.errors import ProblemError


async def certificates_get(request: Request, path: str, params: dict[str, Any]) -> dict:
    settings = request.app.state.settings
    headers = {"authorization": request.headers.get("authorization", "")}
    if (rid := request_id.get()) is not None:
        headers["x-request-id"] = rid
    injected = getattr(request.app.state, "certificates_client", None)  # tests run the peer in-process
    try:
        if injected is not None:
            response = await injected.get(path, params=params, headers=headers)
        else:
            async with httpx.AsyncClient(base_url=settings.certificates_url, timeout=settings.peer_timeout_s) as client:
                response = await client.get(path, params=params, headers=headers)
    except httpx.TimeoutException:
        raise ProblemError(504, "upstream-timeout", "Сервис сертификатов не ответил вовремя") from None
    except httpx.HTTPError:
        raise ProblemError(502, "upstream-unavailable", "Сервис сертификатов недоступен") from None
    if response.status_code in (401, 403):
        raise ProblemError(response.status_code, "forbidden", "Недостаточно прав для этого отчёта")
    if response.status_code != 200:
        raise ProblemError(502, "upstream-error", "Сервис сертификатов ответил ошибкой",
                           detail=f"certificates answered {response.status_code}")
    return response.json()
