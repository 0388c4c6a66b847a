"""Capacity: the whole platform, each process with two workers as deployed, stays within the
installation's connection budget (PFDO_DB_CONNECTION_BUDGET over PFDO_DB_PROCESSES, pfdo_kit/capacity.py)
and under the server's max_connections during a burst on every pool — counted in pg_stat_activity."""
from __future__ import annotations

import asyncio
import uuid

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from deploy.local.services import SERVICES
from tests.support.platform import running_platform

BUDGET, WORKERS = 40, 2
PROCESSES = len(SERVICES) * WORKERS


async def _burst(gateway: str, stop: asyncio.Event) -> int:
    """Failed logins (each holds a connection while the password hash is checked), uncached catalog searches
    and registry lists, many at once, until `stop`. Requests answered."""
    answered = 0
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=gateway, timeout=60, limits=limits) as client:
        async def one(i: int) -> None:
            nonlocal answered
            kind = i % 3
            if kind == 0:  # a different visitor each time (the Navigator's address is trusted): no throttle
                await client.post("/api/v1/auth/token", json={"email": f"x{i}@example.ru", "password": "wrong-pass-1"},
                                  headers={"X-Forwarded-For": f"198.51.{i // 250 % 250}.{i % 250}"})
            elif kind == 1:
                await client.get("/api/v1/programs", params={"q": f"робот {uuid.uuid4().hex[:6]}"})
            else:
                await client.get("/api/v1/providers", params={"page_size": 50, "q": uuid.uuid4().hex[:5]})
            answered += 1

        i = 0
        while not stop.is_set():
            await asyncio.gather(*(one(i + k) for k in range(120)))
            i += 120
    return answered


async def test_the_platform_stays_within_its_connection_budget_under_a_burst(pg_admin_url, amqp_url,
                                                                             migrated_template):
    env = {"PFDO_DB_CONNECTION_BUDGET": str(BUDGET), "PFDO_DB_PROCESSES": str(PROCESSES)}
    async with running_platform(pg_admin_url, amqp_url, migrated_template, extra_env=env,
                                workers={s.name: WORKERS for s in SERVICES}) as platform:
        databases = [make_url(u).database for u in platform.platform.config.database_urls.values()]
        admin = await asyncpg.connect(pg_admin_url)
        try:
            max_connections = int(await admin.fetchval("SHOW max_connections"))
            stop, peak = asyncio.Event(), 0
            burst = asyncio.create_task(_burst(platform.gateway_url, stop))
            for _ in range(200):  # 20 s of samples
                held = await admin.fetchval("SELECT count(*) FROM pg_stat_activity WHERE datname = ANY($1)", databases)
                peak = max(peak, held)
                await asyncio.sleep(0.1)
            stop.set()
            answered = await burst
        finally:
            await admin.close()
    assert answered > 300
    assert peak >= PROCESSES, "every process held its connections (the burst reached the pools)"
    assert peak <= BUDGET, f"{peak} connections held, over the installation's budget of {BUDGET}"
    assert BUDGET < max_connections
