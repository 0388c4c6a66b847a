"""The visitor's session: one encrypted, authenticated cookie (Fernet: AES-CBC + HMAC) holding the CSRF
token, the gateway's tokens and a one-shot notice. HttpOnly, so the page's JavaScript never sees the tokens;
SameSite=Lax; Secure over https."""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

COOKIE = "nav_session"


class Session(dict):
    """The session's values; `modified` says whether the cookie must be written again."""

    def __init__(self, data: dict[str, Any] | None = None, fresh: bool = False) -> None:
        super().__init__(data or {})
        self.modified = fresh

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.modified = True

    def pop(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        if key in self:
            self.modified = True
        return super().pop(key, default)

    def clear(self) -> None:
        super().clear()
        self.modified = True

    @property
    def csrf(self) -> str:
        if "csrf" not in self:
            self["csrf"] = secrets.token_urlsafe(32)
        return self["csrf"]

    @property
    def logged_in(self) -> bool:
        return bool(self.get("access"))

    def log_in(self, tokens: dict[str, Any], account: dict[str, Any]) -> None:
        """A new login gets a new CSRF token too (no fixation of an anonymous one)."""
        self.clear()
        self["csrf"] = secrets.token_urlsafe(32)
        self.store_tokens(tokens)
        self["account"] = {"email": account["email"], "role": account["role"], "name": account.get("full_name"),
                           "municipality": account.get("municipality"), "provider_id": account.get("provider_id")}

    def store_tokens(self, tokens: dict[str, Any]) -> None:
        self["access"], self["refresh"] = tokens["access_token"], tokens["refresh_token"]

    def flash(self, text: str) -> None:
        self["flash"] = text


class SessionCodec:
    def __init__(self, secret: str) -> None:
        key = base64.urlsafe_b64encode(hashlib.sha256(("navigator-session:" + secret).encode()).digest())
        self.fernet = Fernet(key)

    def load(self, cookie: str | None, max_age_s: int) -> Session:
        if cookie:
            try:
                return Session(json.loads(self.fernet.decrypt(cookie.encode(), ttl=max_age_s)))
            except (InvalidToken, ValueError):
                pass
        return Session(fresh=False)

    def dump(self, session: Session) -> str:
        return self.fernet.encrypt(json.dumps(dict(session), separators=(",", ":")).encode()).decode()
