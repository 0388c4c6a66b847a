"""Fresh, migrated databases of a benchmark's own, dropped afterwards."""
from __future__ import annotations

import asyncio
import os
import uuid

import asyncpg

from pfdo_kit.db import asyncpg_dsn
from pfdo_kit.migrations import upgrade

PG = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
AMQP = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
PACKAGES = {"registry": "services.registry", "certificates": "services.certificates", "catalog": "services.catalog",
            "billing": "services.billing", "gateway": "gateway"}


class BenchDatabases:
    """`async with BenchDatabases(["catalog", "gateway"]) as dbs:` → dbs.urls[name], dbs.admin."""

    def __init__(self, services: list[str]) -> None:
        self.uid = uuid.uuid4().hex[:8]
        self.names = {s: f"bench_{s}_{self.uid}" for s in services}
        self.urls: dict[str, str] = {s: "" for s in PACKAGES}

    async def __aenter__(self) -> "BenchDatabases":
        self.admin = await asyncpg.connect(asyncpg_dsn(PG))
        for service, name in self.names.items():
            await self.admin.execute(f'CREATE DATABASE "{name}"')
            self.urls[service] = PG.rsplit("/", 1)[0] + "/" + name
            await asyncio.to_thread(upgrade, PACKAGES[service], self.urls[service])
        return self

    async def connect(self, service: str) -> asyncpg.Connection:
        return await asyncpg.connect(asyncpg_dsn(self.urls[service]))

    async def __aexit__(self, *exc) -> None:
        for name in self.names.values():
            await self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await self.admin.close()
