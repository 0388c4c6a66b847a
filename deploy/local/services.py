"""The services `make run` starts, in order, with their ports."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LocalService:
    name: str           # package under services/ and env prefix
    port: int

    @property
    def package(self) -> str:
        return f"services.{self.name}"

    @property
    def env_prefix(self) -> str:
        return self.name.upper() + "_"


SERVICES = [LocalService("registry", 8001), LocalService("certificates", 8002), LocalService("catalog", 8003),
            LocalService("billing", 8004)]
