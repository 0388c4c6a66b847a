"""Reading the certificates service's API for a report (never to finish an event's work): the
caller's token is forwarded, so certificates checks the same rights."""
from __future__ import annotations

from typing import Any

import httpx
from fastapi import Request

from pfdo_kit import peers
from pfdo_kit.errors import ProblemError

NAME_RU = "сертификатов"


async def certificates_get(request: Request, path: str, params: dict[str, Any]) -> dict:
    settings = request.app.state.settings
    injected = getattr(request.app.state, "certificates_client", None)  # tests run the peer in-process
    async with httpx.AsyncClient(base_url=settings.certificates_url, timeout=settings.peer_timeout_s) as own:
        response = await peers.call(injected or own, "GET", path, service="certificates", service_ru=NAME_RU,
                                    headers=request.headers, params=params)
    if response.status_code in (401, 403):
        raise ProblemError(response.status_code, "forbidden", "Недостаточно прав для этого отчёта")
    if response.status_code != 200:
        raise peers.upstream_error("certificates", NAME_RU, response.status_code)
    return response.json()
