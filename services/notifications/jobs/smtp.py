"""The mail server as the settings describe it, for aiosmtplib."""
from __future__ import annotations

from typing import Any

from services.notifications.settings import NotificationsSettings


def smtp_options(s: NotificationsSettings) -> dict[str, Any]:
    """none: plain SMTP; starttls: plain, then upgraded (refused if the server cannot);
    tls: TLS from the first byte. Credentials only when a user name is set."""
    options: dict[str, Any] = dict(hostname=s.smtp_host, port=s.smtp_port, timeout=s.smtp_timeout_s,
                                   use_tls=s.smtp_tls == "tls", start_tls=s.smtp_tls == "starttls")
    if s.smtp_username:
        options.update(username=s.smtp_username,
                       password=s.smtp_password.get_secret_value() if s.smtp_password else "")
    return options
