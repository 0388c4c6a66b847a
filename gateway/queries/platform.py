"""The platform at a glance: every service's /health/status (its `ready` is the readiness probe's
answer, so /health/ready is not asked too), asked concurrently with a deadline, and the gateway's own state read in-process. The caller's token goes along: the
services keep /health/* to the installation and the region's staff (pfdo_kit/internal.py)."""
from __future__ import annotations

import asyncio
from collections.abc import Mapping

from gateway.domain.routes import SERVICES
from gateway.upstreams import UpstreamResponse, Upstreams
from pfdo_kit import process_status

DEADLINE_S = 2.0


async def platform(upstreams: Upstreams, runtime, headers: Mapping[str, str]) -> list[dict]:
    """Each service's state (in SERVICES' order), then the gateway's."""
    answers = await asyncio.gather(*(_service(upstreams, name, headers) for name in SERVICES),
                                   process_status.status(runtime))
    return list(answers)


async def _service(upstreams: Upstreams, name: str, headers: Mapping[str, str]) -> dict:
    status = await _get(upstreams, name, "/health/status", headers)
    if isinstance(status, UpstreamResponse) and status.status_code == 200:
        body = status.json()
        return {**body, "service": name, "ready": body.get("ready") is True}
    return {"service": name, "ready": False, "broker": "down", "outbox_unsent": 0,
            "outbox_oldest_age_s": None, "dead_letters": [], "error": _failure(status)}


async def _get(upstreams: Upstreams, name: str, path: str, headers: Mapping[str, str]) -> UpstreamResponse | str:
    """The answer, or why there is none (in Russian)."""
    try:
        async with asyncio.timeout(DEADLINE_S):
            return await upstreams.send(name, "GET", path, headers=headers)
    except TimeoutError:
        return f"сервис не ответил за {DEADLINE_S:g} с"
    except Exception:  # refused, reset: the 502 the proxy would give
        return "сервис недоступен"


def _failure(answer: UpstreamResponse | str) -> str:
    return answer if isinstance(answer, str) else f"сервис ответил {answer.status_code} на /health/status"
