"""Reading a submitted form (application/x-www-form-urlencoded) and checking its CSRF token."""
from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request

from navigator.security import check_csrf

MAX_FORM_BYTES = 64 * 1024


class Form(dict):
    def flag(self, name: str) -> bool:
        return self.get(name) in ("on", "true", "1", "yes")


async def read_form(request: Request) -> Form:
    """The posted fields (the last value of a repeated name), after the CSRF check."""
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        body = b""
    form = Form(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    check_csrf(request.state.session, form.get("csrf"))
    return form
