from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from pfdo_kit.settings import (
    POOLED_KEEP_ALIVE_S,
    SERVER_KEEP_ALIVE_MIN_S,
    ServiceSettings,
)


class GatewaySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", frozen=True)

    port: int = 8000
    # The RS256 private key (PEM) that signs access tokens; its public half is served at
    # /.well-known/jwks.json and given to the services as their JWT_PUBLIC_KEYS.
    signing_key_pem: str
    key_id: str = "pfdo-1"
    access_ttl_s: int = Field(default=900, ge=60)
    refresh_ttl_s: int = Field(default=30 * 24 * 3600, ge=600)

    registry_url: str = "http://127.0.0.1:8001"
    certificates_url: str = "http://127.0.0.1:8002"
    catalog_url: str = "http://127.0.0.1:8003"
    billing_url: str = "http://127.0.0.1:8004"
    notifications_url: str = "http://127.0.0.1:8005"
    upstream_timeout_s: float = 10.0
    upstream_connections: int = 100
    # A pooled connection idle this long is not reused: shorter than any service keeps it open
    # (pfdo_kit/settings.py SERVER_KEEP_ALIVE_MIN_S), so the service never closes one under a request.
    upstream_keep_alive_s: float = Field(default=POOLED_KEEP_ALIVE_S, gt=0, lt=SERVER_KEEP_ALIVE_MIN_S)
    # Answers the services mark `Cache-Control: public, max-age=N` (catalog search pages) kept
    # in memory for N seconds, this many at most; 0 turns the cache off.
    public_cache_entries: int = Field(default=5_000, ge=0)

    max_body_bytes: int = 1_048_576
    # Login throttle: failures allowed per account and per client address in the window.
    login_failures_per_account: int = 5
    login_failures_per_address: int = 20
    login_window_s: int = 900
    # Password reset: how long a mailed link works; requests allowed per client address (then
    # 429) and mails per e-mail address (then silently none) in the window.
    password_reset_ttl_s: int = Field(default=3600, ge=300, le=86_400)
    password_resets_per_address: int = Field(default=20, ge=1)
    password_resets_per_email: int = Field(default=3, ge=1)
    password_reset_window_s: int = Field(default=3600, ge=60)
    # Writes (POST/PUT/PATCH/DELETE) per caller (account, else address) per minute.
    writes_per_minute: int = 120
    # The store the throttles above keep their windows in, shared by every gateway process of the installation
    # (a `limits` storage URL: redis://host:6379/0). Unset: each process counts alone, in memory (development).
    rate_limit_storage_url: str | None = None

    @field_validator("clock_date")
    @classmethod
    def _real_time_only(cls, value):
        # Every service checks a token's iat and exp against real time: a pinned gateway day
        # would issue tokens that are already expired or not yet valid.
        if value is not None:
            raise ValueError("the gateway runs on real time: its tokens are checked against it")
        return value
