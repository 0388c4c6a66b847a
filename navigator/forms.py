"""Reading a submitted form (application/x-www-form-urlencoded) and checking its CSRF token."""
from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import Request

from navigator.security import check_csrf

MAX_FORM_BYTES = 64 * 1024


class Form(dict):
    def flag(self, name: str) -> bool:
        return self.get(name) in ("on", "true", "1", "yes")


class FormTooLarge(Exception):
    """The posted form is bigger than its page allows (the app answers 413 «Форма слишком большая»)."""


async def read_form(request: Request, max_bytes: int = MAX_FORM_BYTES) -> Form:
    """The posted fields (the last value of a repeated name), after the CSRF check; a page with a big form (the
    attendance journal) names its own limit."""
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > max_bytes:
            raise FormTooLarge
    form = Form(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
    check_csrf(request.state.session, form.get("csrf"))
    return form
