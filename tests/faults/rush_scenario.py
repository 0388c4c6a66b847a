"""An enrollment rush on a running platform, for the fault scenarios: the world seeded straight
into the services' databases (bench/rush_seed.py), the rush driven through the gateway
(bench/rush_driver.py), then the invariants (bench/rush_checks.py), a month close and the
reconciliation report."""
from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from datetime import date, timedelta

import aiohttp
import asyncpg

from bench.platform import mint_token
from bench.rush_checks import UNFINISHED, invariants
from bench.rush_driver import RushDriver, RushLog
from bench.rush_seed import (
    MUNICIPALITY,
    RushWorld,
    plan,
    seed_catalog,
    seed_certificates,
)
from pfdo_kit.clock import Clock
from pfdo_kit.db import asyncpg_dsn
from tests.support.platform import RunningPlatform


def next_month_start(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


class RushScenario:
    def __init__(self, running: RunningPlatform, world: RushWorld) -> None:
        self.running, self.world = running, world
        self.dsn = {name: asyncpg_dsn(url) for name, url in running.platform.config.database_urls.items()}
        self.rush_over = asyncio.Event()
        self.tokens = {f.subject: self.token("parent", f.subject) for f in world.families}
        self.tokens |= {str(p): self.token("provider", f"staff-{p}", provider_id=p) for p in world.providers}

    @classmethod
    async def seed(cls, running: RunningPlatform, children: int, groups: int, seats: int,
                   providers: int) -> "RushScenario":
        world = plan(children, groups, seats, providers, seed=random.randrange(10**6))
        scenario = cls(running, world)
        async with scenario.connected("certificates") as conn:
            await seed_certificates(conn, world, Clock().today().year)
        async with scenario.connected("catalog") as conn:
            await seed_catalog(conn, world)
        return scenario

    def token(self, role: str, subject: str, provider_id=None) -> str:
        return mint_token(self.running.signing_key, role, subject, MUNICIPALITY, provider_id)

    def connected(self, service: str):
        return _Connection(self.dsn[service])

    async def unfinished(self) -> int:
        async with self.connected("catalog") as conn:
            return await conn.fetchval("SELECT count(*) FROM applications WHERE status = ANY($1::text[])",
                                       list(UNFINISHED))

    async def rush(self, during=None, deadline_s: float = 240) -> RushLog:
        """Every family applies at once; `during(driver)` runs beside the rush (the fault)."""
        driver = RushDriver(self.running.gateway_url, self.world, self.tokens, self.dsn["billing"], concurrency=64)
        rng, groups = random.Random(1), [g for g, _ in self.world.groups]

        async def done() -> bool:
            return await self.unfinished() == 0
        fault = asyncio.create_task(during(driver)) if during else None
        try:
            log = await driver.run(lambda i: rng.choice(groups), done, deadline_s)
        finally:
            self.rush_over.set()
        if fault:
            await fault
        return log

    async def reached(self, driver: RushDriver, point: Callable[[RushLog], bool], what: str) -> dict:
        """Wait until the rush reaches `point` (a fault's moment); fails if the rush ends first, as the
        fault would then not land in the middle of it. The progress at that moment."""
        while not point(driver.log):
            assert not self.rush_over.is_set(), f"the rush ended before {what}: {await self.progress(driver)}"
            await asyncio.sleep(0.05)
        return await self.progress(driver)

    async def progress(self, driver: RushDriver) -> dict:
        """How far the rush is: applications answered 201, contracts signed, sagas not yet ended."""
        return {"applied": len(driver.log.applied), "signed": driver.log.signed,
                "applying": not driver.applying_done.is_set(), "unfinished": await self.unfinished()}

    async def checks(self, log: RushLog) -> dict:
        async with self.connected("catalog") as cat, self.connected("billing") as bill, \
                self.connected("certificates") as cert:
            found = await invariants(cat, bill, cert, len(log.applied), self.world.seats_per_group)
            found["double_reservations"] = await cert.fetchval(
                "SELECT count(*) FROM (SELECT contract_id FROM ledger_entries WHERE kind = 'reserve'"
                " GROUP BY contract_id HAVING count(*) > 1) AS d")
            found["seats_wanted"] = await cat.fetchval("""
                SELECT coalesce(sum(least(n, g.capacity)), 0) FROM groups g
                  JOIN (SELECT group_id, count(*) AS n FROM applications GROUP BY group_id) a ON a.group_id = g.id""")
            found["unsent_outbox"] = {name: await self._unsent(name) for name in ("catalog", "certificates", "billing")}
        return found

    async def _unsent(self, service: str) -> int:
        async with self.connected(service) as conn:
            return await conn.fetchval("SELECT count(*) FROM outbox WHERE sent_at IS NULL")

    async def wait_outboxes_empty(self, timeout_s: float = 30) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not any([await self._unsent(s) for s in ("catalog", "certificates", "billing")]):
                return
            await asyncio.sleep(0.5)

    async def close_month_and_reconcile(self) -> dict:
        """Billing's clock moves to the next month; every signed child attended one lesson this
        month; the operator closes the month; the reconciliation report must balance."""
        today = Clock().today()
        month, clock = today.strftime("%Y-%m"), next_month_start(today) + timedelta(days=4)
        lesson = today if today.weekday() != 6 else today + timedelta(days=1)
        await asyncio.to_thread(self.running.restart, "billing", {"BILLING_CLOCK_DATE": clock.isoformat()})
        async with self.connected("billing") as conn:
            rows = await conn.fetch("SELECT group_id, provider_id, child_id FROM contracts WHERE status = 'signed'")
        by_group: dict = {}
        for r in rows:
            by_group.setdefault((r["group_id"], r["provider_id"]), []).append(str(r["child_id"]))
        operator = self.token("operator", "operator-faults")
        api = self.running.gateway_url + "/api/v1"
        async with aiohttp.ClientSession() as http:
            if lesson.strftime("%Y-%m") == month:
                for (group, provider), children in by_group.items():
                    async with http.post(f"{api}/groups/{group}/attendance", json={
                            "lesson_date": lesson.isoformat(), "present": children},
                            headers={"Authorization": f"Bearer {self.tokens[str(provider)]}"}) as r:
                        assert r.status == 200, await r.text()
            headers = {"Authorization": f"Bearer {operator}"}
            async with http.post(f"{api}/municipalities/{MUNICIPALITY}/months/{month}/close", headers=headers) as r:
                assert r.status == 202, await r.text()
            deadline = time.monotonic() + 120
            while True:
                async with http.get(f"{api}/municipalities/{MUNICIPALITY}/months/{month}", headers=headers) as r:
                    state = await r.json()
                if state["status"] == "closed" or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.5)
            assert state["status"] == "closed", state
            async with http.get(f"{api}/reports/reconciliation", params={"month": month, "municipality": MUNICIPALITY},
                                headers=headers) as r:
                assert r.status == 200, await r.text()
                return {"month": month, "close": state, "reconciliation": await r.json()}


class _Connection:
    def __init__(self, dsn: str) -> None:
        self.dsn = dsn

    async def __aenter__(self) -> asyncpg.Connection:
        self.conn = await asyncpg.connect(self.dsn)
        return self.conn

    async def __aexit__(self, *exc) -> None:
        await self.conn.close()
