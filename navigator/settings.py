"""The Navigator's settings (NAVIGATOR_ environment prefix)."""
from __future__ import annotations

from datetime import date

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from pfdo_kit.proxies import Networks


class NavigatorSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NAVIGATOR_", extra="ignore", frozen=True)

    # The gateway's address: the only thing the Navigator talks to.
    gateway_url: str = "http://127.0.0.1:8000"
    # Encrypts the session cookie (the gateway tokens live inside it, never readable by the page's JavaScript).
    session_secret: str = Field(min_length=32)
    host: str = "127.0.0.1"
    port: int = 8080
    # Secure cookies: None decides per request (https → Secure); behind a TLS proxy set it true.
    cookie_secure: bool | None = None
    session_max_age_s: int = 30 * 24 * 3600  # as long as the gateway's refresh token lives
    gateway_timeout_s: float = 10.0
    gateway_connections: int = 50
    log_level: str = "INFO"
    http_keep_alive_s: int = 75
    # The proxies in front of the Navigator (the ingress; IP addresses or CIDR networks): their X-Forwarded-For
    # names the visitor, whose address the Navigator passes on to the gateway's throttles.
    trusted_proxies: Networks = []
    # The region's time zone and, for tests and demos, a pinned day (the journal's today, this month's defaults).
    timezone: str = "Europe/Moscow"
    clock_date: date | None = None
