"""The processes `make run` starts, in order, with their ports."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LocalService:
    name: str           # env prefix and database name
    port: int
    package: str        # `python -m <package> migrate|serve`

    @property
    def env_prefix(self) -> str:
        return self.name.upper() + "_"


SERVICES = [LocalService("registry", 8001, "services.registry"),
            LocalService("certificates", 8002, "services.certificates"),
            LocalService("catalog", 8003, "services.catalog"),
            LocalService("billing", 8004, "services.billing"),
            LocalService("notifications", 8005, "services.notifications"),
            LocalService("gateway", 8000, "gateway")]
# The families' web pages: no database and no bus, only the gateway's public API; started after the services.
NAVIGATOR = LocalService("navigator", 8080, "navigator")
