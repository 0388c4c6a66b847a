"""Headers every answer carries, the CSRF check of every form, and where a `next` may lead."""
from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from navigator.session import Session

# Only the Navigator's own scripts, styles and images; no inline script or style; forms post only here.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


class CsrfError(Exception):
    pass


def check_csrf(session: Session, submitted: str | None) -> None:
    expected = session.get("csrf")
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfError


def safe_next(target: str | None, default: str = "/cabinet") -> str:
    """A path on this site only: no scheme, no host, no '//' or '/\\' that a browser would read as another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(c in target for c in "\r\n\t\\"):
        return default
    return target
