"""Everything else under /api/v1 goes to the service that owns it, with the body size
limited and writes rate-limited per caller."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from gateway.api.auth import client_address
from gateway.domain.routes import upstream_for
from gateway.response_cache import cache_address
from gateway.upstreams import returned_headers
from pfdo_kit.auth import optional_principal
from pfdo_kit.errors import ProblemError, not_found

router = APIRouter()
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ProblemError(413, "body-too-large", "Слишком большой запрос")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ProblemError(413, "body-too-large", "Слишком большой запрос")
        chunks.append(chunk)
    return b"".join(chunks)


def _caller(request: Request, principal) -> str:
    if principal is not None:
        return "account:" + principal.subject
    return "address:" + client_address(request)


@router.api_route("/api/v1/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False)
async def forward(path: str, request: Request) -> Response:
    state = request.app.state
    service = upstream_for("/" + path)
    if service is None:
        raise not_found("Такого адреса в API нет")
    principal = await optional_principal(request)  # a bad token is 401 here already
    if request.method in WRITES:
        if wait := await state.writes.take(_caller(request, principal)):
            raise ProblemError(429, "too-many-requests", "Слишком много запросов, попробуйте чуть позже",
                               headers={"Retry-After": str(int(wait) + 1)})
    body = await _body(request, state.settings.max_body_bytes)

    # The path as the caller sent it, still percent-encoded: an encoded '/', '?' or '#' stays inside
    # its segment upstream instead of cutting the path short (the decoded `path` would).
    raw_path = request.scope.get("raw_path", b"").decode("latin-1") or "/api/v1/" + path

    params = list(request.query_params.multi_items()) if request.scope["query_string"] else None

    def fetch():
        return state.upstreams.send(service, request.method, raw_path, params=params, headers=request.headers,
                                    content=body or None)
    if request.method == "GET":
        upstream = await state.public_answers.get_or_fetch(cache_address(request.scope),
                                                           request.headers.get("authorization", ""), fetch)
    else:
        upstream = await fetch()
    return Response(upstream.content, status_code=upstream.status_code, headers=returned_headers(upstream))
