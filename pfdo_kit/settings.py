"""Service settings from the environment, one prefix per service (REGISTRY_DATABASE_URL...)."""
from __future__ import annotations

import sys
from datetime import date
from typing import Annotated, TypeVar

from pydantic import AfterValidator, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pfdo_kit import capacity
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
    # Deliveries a consumer takes into one transaction when several are waiting (pfdo_kit/bus/consumer.py);
    # 1: each message in a transaction of its own, up to the prefetch at once (the way before windows).
    bus_batch_max: int = Field(default=32, ge=1)
    bus_delivery_limit: int = 10
    bus_retry_delays_ms: list[int] = [1_000, 5_000, 30_000]
    bus_shutdown_grace_s: float = 10.0
    # Only for throwaway environments (tests): queues vanish this long after last use.
    bus_queue_expires_ms: int | None = None

    outbox_batch_size: int = 500
    outbox_poll_interval_s: float = 2.0
    outbox_max_backoff_s: float = 30.0

    # Retention (pfdo_kit/retention.py): sent outbox rows, inbox rows and stored Idempotency-Key answers older
    # than these days are deleted, in batches, every interval. The inbox must outlive any redelivery.
    outbox_retention_days: int = Field(default=7, ge=1)
    inbox_retention_days: int = Field(default=30, ge=1)
    idempotency_retention_days: int = Field(default=14, ge=1)
    retention_batch_size: int = Field(default=5_000, ge=1)
    retention_interval_s: float = Field(default=3_600, gt=0)

    # Database connections: one formula for the installation (pfdo_kit/capacity.py). A fixed pool: under a
    # rush, connections made and closed per request (overflow) would cost PostgreSQL a backend each.
    db_connection_budget: int = Field(default=capacity.DEFAULT_BUDGET, ge=2)
    db_processes: int = Field(default=capacity.DEFAULT_PROCESSES, ge=1)
    db_pool_size: int | None = Field(default=None, ge=1)  # set: replaces the formula's pool for this service
    db_max_overflow: int = Field(default=0, ge=0)

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

    @model_validator(mode="before")
    @classmethod
    def _installation_capacity(cls, data):
        return capacity.installation_wide(data) if isinstance(data, dict) else data

    @model_validator(mode="after")
    def _share_holds_the_fixed_connections(self):
        if self.db_pool_size is None and self.engine_pool_size() < 1:
            raise ValueError(
                f"DB_CONNECTION_BUDGET {self.db_connection_budget} over DB_PROCESSES {self.db_processes} leaves "
                f"{capacity.share(self.db_connection_budget, self.db_processes)} connections per process; this "
                f"service needs at least {capacity.LISTEN_CONNECTIONS + self.extra_connections() + 1}")
        return self

    def extra_connections(self) -> int:
        """Connections the service holds besides its pool and the relay's LISTEN (a subclass adds its own)."""
        return 0

    def engine_pool_size(self) -> int:
        if self.db_pool_size is not None:
            return self.db_pool_size
        return capacity.engine_pool(self.db_connection_budget, self.db_processes, self.extra_connections())

    def db_connections_per_process(self) -> int:
        """What one process of this service may hold at most (the test of the formula adds these up)."""
        return self.engine_pool_size() + self.db_max_overflow + capacity.LISTEN_CONNECTIONS + self.extra_connections()


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
