"""What every page uses: rendering a template, calling the gateway as the visitor (refreshing the access
token once when it has expired), and the redirects a page may answer with."""
from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from navigator import formatting, texts
from navigator.gateway import ApiProblem

TEMPLATES = Path(__file__).parent / "templates"

env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), auto_reload=False,
                  trim_blocks=True, lstrip_blocks=True)
env.filters.update(money=formatting.money, day=formatting.day, moment=formatting.moment, month=formatting.month,
                   highlight=formatting.highlight, snils_masked=formatting.snils_masked)
env.globals.update(texts=texts, plural=formatting.plural)


class LoginRequired(Exception):
    pass


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    session = request.state.session
    context.update(request=request, session=session, csrf=session.csrf, account=session.get("account"),
                   flash=session.pop("flash", None), path=request.url.path,
                   idempotency_key=context.get("idempotency_key") or str(uuid.uuid4()))
    return HTMLResponse(env.get_template(template).render(context), status_code=status_code)


def redirect(to: str) -> RedirectResponse:
    """After a form: see the result with a GET (303)."""
    return RedirectResponse(to, status_code=303)


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?" + urlencode({"next": target}, quote_via=quote)


def require_login(request: Request) -> None:
    if not request.state.session.logged_in:
        raise LoginRequired


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


async def api(request: Request, method: str, path: str, *, anonymous: bool = False, **kwargs: Any) -> Any:
    """The gateway's answer to the visitor's request: with their token unless `anonymous`."""
    gateway, session = request.app.state.gateway, request.state.session
    token = None if anonymous else session.get("access")
    try:
        return await gateway.call(method, path, token=token, client_ip=client_ip(request), **kwargs)
    except ApiProblem as problem:
        if problem.status != 401 or token is None:
            raise
    await refresh(request)
    return await gateway.call(method, path, token=session.get("access"), client_ip=client_ip(request), **kwargs)


async def document(request: Request, path: str, params: dict[str, Any] | None = None):
    """A file the API answers to the visitor (refreshing the token once, as `api` does)."""
    gateway, session = request.app.state.gateway, request.state.session
    try:
        return await gateway.document(path, token=session.get("access"), client_ip=client_ip(request), params=params)
    except ApiProblem as problem:
        if problem.status != 401:
            raise
    await refresh(request)
    return await gateway.document(path, token=session.get("access"), client_ip=client_ip(request), params=params)


DOWNLOAD_TYPES = {"csv": "text/csv; charset=utf-8",
                  "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


async def download(request: Request, path: str, file_format: str, filename: str, **params: Any) -> Response:
    """An export the API renders (`format=csv|xlsx`), handed to the browser as a file to save."""
    if file_format not in DOWNLOAD_TYPES:
        raise ApiProblem(422, {"title": "Формат файла: csv или xlsx", "field": "format"})
    answer = await document(request, path, params={**params, "format": file_format})
    return Response(answer.content, media_type=DOWNLOAD_TYPES[file_format], headers={
        "Content-Disposition": disposition(answer.headers.get("content-disposition"), filename, file_format)})


def disposition(given: str | None, filename: str, file_format: str) -> str:
    """The API's own `Content-Disposition` (its Russian name as `filename*`), else `filename` made safe ASCII."""
    if given and given.isascii() and given.isprintable() and given.lower().startswith("attachment"):
        return given
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("._") or "file"
    return f'attachment; filename="{safe[:100]}.{file_format}"'


async def refresh(request: Request) -> None:
    session = request.state.session
    try:
        tokens = await request.app.state.gateway.call(
            "POST", "/auth/token", json={"grant_type": "refresh_token", "refresh_token": session.get("refresh")},
            client_ip=client_ip(request))
    except ApiProblem as problem:
        if problem.status in (401, 422):
            session.clear()
            session.flash("Сеанс истёк — войдите снова.")
            raise LoginRequired from None
        raise
    session.store_tokens(tokens)
