"""The internals every process serves — /metrics, /health/*, /docs (and its assets), /redoc and
/openapi.json — answer only inside the installation: a caller connecting directly (not through any
proxy: no X-Forwarded-For, Forwarded or X-Real-IP) from `<PREFIX>_INTERNAL_NETWORKS` (Prometheus, the
kubelet's probes, an operator on the host), or anyone showing the token of the region's staff (an admin
or the regional operator) — e.g. through the ingress to the gateway. Anybody else gets 404, as for a
path that does not exist.

Why "directly" and not just the address: the ingress itself runs inside the cluster, so everything it
forwards comes from an internal address; what it forwards always carries X-Forwarded-For."""
from __future__ import annotations

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from pfdo_kit.auth import TokenVerifier, _bearer, is_region_staff
from pfdo_kit.errors import ProblemError, not_found, problem_response
from pfdo_kit.proxies import in_networks

INTERNAL_PATHS = ("/metrics", "/health", "/docs", "/redoc", "/openapi.json")
_PROXY_HEADERS = {b"x-forwarded-for", b"forwarded", b"x-real-ip"}


def is_internal_path(path: str) -> bool:
    return path.startswith(INTERNAL_PATHS) and any(
        path == p or path.startswith(p + "/") or path.startswith(p + "-") for p in INTERNAL_PATHS)


def refused(scope: Scope, networks: list[str], verifier: TokenVerifier) -> bool:
    """Is this an internal path its caller may not see? Judged by the connection's own peer, before any
    forwarded address is believed (pfdo_kit/edge.py runs it outermost)."""
    return is_internal_path(scope["path"]) and not _allowed(scope, networks, verifier)


async def refuse(scope: Scope, receive: Receive, send: Send) -> None:
    response = problem_response(Request(scope), not_found("Такого адреса нет"))
    await response(scope, receive, send)


def _allowed(scope: Scope, networks: list[str], verifier: TokenVerifier) -> bool:
    direct = not any(name in _PROXY_HEADERS for name, _ in scope["headers"])
    peer = scope["client"][0] if scope.get("client") else None
    if direct and in_networks(peer, networks):
        return True
    token = _bearer(Request(scope))
    if token is None:
        return False
    try:
        return is_region_staff(verifier.verify(token))
    except ProblemError:
        return False
