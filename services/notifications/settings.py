from datetime import time
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from pfdo_kit.settings import ServiceSettings


class NotificationsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="NOTIFICATIONS_", extra="ignore", frozen=True)

    port: int = 8005

    # The mail server. tls: none (plain, a local relay or sink), starttls (upgrade on 587),
    # tls (implicit TLS from the first byte, 465).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "tls"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_s: float = Field(default=30.0, gt=0)
    # Who the mail is from: "Навигатор <no-reply@...>"; the domain also names every Message-ID.
    mail_from_address: str = "no-reply@navigator.local"
    mail_from_name: str = "Навигатор дополнительного образования"

    # At most this many mails to one person per window; the rest wait for the window to free.
    mail_rate_limit: int = Field(default=20, ge=1)
    mail_rate_window_s: int = Field(default=3600, ge=1)
    # A failed send is tried again after base × 2^(attempts−1) seconds, never more than max; never dropped.
    mail_retry_base_s: float = Field(default=30.0, gt=0)
    mail_retry_max_s: float = Field(default=3600.0, gt=0)
    # A mail left "sending" this long (its sender died) is sent again, with the same Message-ID.
    mail_sending_lease_s: float = Field(default=300.0, gt=0)
    mail_batch_size: int = Field(default=50, ge=1, le=1000)
    mail_poll_interval_s: float = Field(default=2.0, gt=0)

    # Reminders: a seat offer this many hours before it lapses, a contract unsigned for this many
    # days; a provider's decision deadline the day before. How often the reminders and digest jobs look.
    offer_reminder_hours: int = Field(default=12, ge=1)
    contract_reminder_days: int = Field(default=3, ge=1)
    jobs_interval_s: float = Field(default=60.0, gt=0)
    # The operators' daily digest goes out once a day from this local time (the installation's zone).
    digest_at: time = time(9, 0)

    # The Navigator's public address: every link in a notice starts with it.
    public_base_url: str = "http://127.0.0.1:8000"
