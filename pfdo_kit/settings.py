"""Service settings from the environment, one prefix per service (REGISTRY_DATABASE_URL...)."""
from __future__ import annotations

import sys
from datetime import date
from typing import Annotated, TypeVar

from pydantic import AfterValidator, Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from pfdo_kit.municipalities import Municipality, check_unique
from pfdo_kit.proxies import Networks

S = TypeVar("S", bound="ServiceSettings")

# Idle keep-alive, the two ends of one connection between our processes. Every service's HTTP server
# keeps an idle connection open at least this long (`http_keep_alive_s`, checked at its start), and a
# pooled client of ours reuses an idle connection only while it has been idle for less (the gateway's
# `upstream_keep_alive_s`, checked at its start). So a client never sends a request on a connection the
# service is closing at that moment; with uvicorn's default 5 s against aiohttp's 15 s it did, and a
# write answered 502 while the service was healthy (issue 15).
SERVER_KEEP_ALIVE_MIN_S = 60
POOLED_KEEP_ALIVE_S = 30.0  # our pooled clients' default
# Loopback and the private ranges a cluster's or a compose network's addresses come from.
INTERNAL_NETWORKS = ["127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"]


class ServiceSettings(BaseSettings):
    """Common settings. A service subclasses it and sets `env_prefix`."""

    model_config = SettingsConfigDict(env_prefix="PFDO_", extra="ignore", frozen=True)

    database_url: str
    amqp_url: str
    district: str
    # The installation's municipalities (JSON list of {code, name, oktmo}); at least one.
    municipalities: Annotated[list[Municipality], Field(min_length=1), AfterValidator(check_unique)]
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    log_json: bool = True
    # How long the HTTP server keeps an idle keep-alive connection (uvicorn's `timeout_keep_alive`).
    http_keep_alive_s: int = Field(default=75, ge=SERVER_KEEP_ALIVE_MIN_S)
    # Our own proxies in front of this process (IP addresses or CIDR networks: the ingress, a TLS terminator,
    # the Navigator): their X-Forwarded-For names the client (pfdo_kit/proxies.py). Nobody else is believed.
    trusted_proxies: Networks = []
    # Who may read /metrics, /health, /docs and /openapi.json without an operator's token: callers connecting
    # directly (no X-Forwarded-For: not through any proxy) from these networks (pfdo_kit/internal.py).
    internal_networks: Networks = INTERNAL_NETWORKS

    bus_exchange: str = "pfdo.events"
    bus_queue_prefix: str = "pfdo"
    bus_prefetch: int = 32
    bus_delivery_limit: int = 10
    bus_retry_delays_ms: list[int] = [1_000, 5_000, 30_000]
    bus_shutdown_grace_s: float = 10.0
    # Only for throwaway environments (tests): queues vanish this long after last use.
    bus_queue_expires_ms: int | None = None

    outbox_batch_size: int = 500
    outbox_poll_interval_s: float = 2.0
    outbox_max_backoff_s: float = 30.0

    # A fixed pool: under a rush, connections made and closed per request (overflow) cost
    # PostgreSQL a backend each, and five services × 20 would reach its default 100 connections.
    db_pool_size: int = 10
    db_max_overflow: int = 0

    # PEM public keys (RS256) that sign access tokens; the gateway publishes them at its JWKS.
    jwt_public_keys: list[str] = []
    # Or (and) the gateway's JWKS address: keys fetched on first use, cached five minutes.
    jwt_jwks_url: str | None = None
    jwt_issuer: str = "pfdo-gateway"
    jwt_audience: str = "pfdo"

    # The installation's time zone: "today", months and deadlines are counted in its days.
    timezone: str = "Europe/Moscow"
    # Pins the service's "today" (demos and end-to-end tests only; never in production).
    clock_date: date | None = None
    # The region's own days on top of the Russian production calendar (pfdo_kit/calendar.py).
    extra_days_off: list[date] = []
    extra_working_days: list[date] = []


def load_settings(cls: type[S], **overrides: object) -> S:
    """Build settings or stop the process with a message naming every missing or bad one."""
    try:
        return cls(**overrides)
    except ValidationError as exc:
        prefix = cls.model_config.get("env_prefix", "")
        lines = []
        for err in exc.errors():
            name = f"{prefix}{'_'.join(str(p) for p in err['loc'])}".upper()
            what = "is required but not set" if err["type"] == "missing" else err["msg"]
            lines.append(f"  {name}: {what}")
        sys.stderr.write(f"{cls.__name__}: cannot start, bad configuration:\n" + "\n".join(lines) + "\n")
        raise SystemExit(2) from None
