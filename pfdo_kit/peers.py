"""Calling another service over HTTP on a caller's behalf (the gateway's routing, a report that
reads another service): the caller's token, the request id and the trace context travel on;
no answer is a 502, too slow a 504, as problem+json naming the service in Russian.

A client that keeps connections between calls must drop an idle one sooner than the service closes
it (`pfdo_kit.settings.SERVER_KEEP_ALIVE_MIN_S`; httpx's default is 5 s); billing's report makes a
new client per call."""
from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from pfdo_kit.context import request_id
from pfdo_kit.errors import ProblemError

# httpx is imported where a call is made: it brings rich and pygments (~5 MB), which the gateway (aiohttp,
# using only `forwarded` and the errors here) never needs.
if TYPE_CHECKING:
    import httpx

FORWARDED_HEADERS = frozenset({"authorization", "content-type", "accept", "idempotency-key", "traceparent",
                               "tracestate", "accept-language"})


def forwarded(headers: Mapping[str, str]) -> dict[str, str]:
    out = {k: v for k, v in headers.items() if k.lower() in FORWARDED_HEADERS}
    if (rid := request_id.get()) is not None:
        out["x-request-id"] = rid
    return out


async def call(client: httpx.AsyncClient, method: str, url: str, *, service: str, service_ru: str,
               headers: Mapping[str, str], params=None, content: bytes | None = None) -> httpx.Response:
    import httpx

    try:
        return await client.request(method, url, params=params, headers=forwarded(headers), content=content)
    except httpx.TimeoutException:
        raise timed_out(service, service_ru) from None
    except httpx.HTTPError:
        raise unavailable(service, service_ru) from None


def timed_out(service: str, service_ru: str) -> ProblemError:
    return ProblemError(504, "upstream-timeout", f"Сервис {service_ru} не ответил вовремя",
                        detail=f"{service} timed out")


def unavailable(service: str, service_ru: str) -> ProblemError:
    return ProblemError(502, "upstream-unavailable", f"Сервис {service_ru} недоступен",
                        detail=f"{service} did not answer")


def upstream_error(service: str, service_ru: str, status: int) -> ProblemError:
    return ProblemError(502, "upstream-error", f"Сервис {service_ru} ответил ошибкой",
                        detail=f"{service} answered {status}")
