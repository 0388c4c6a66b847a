"""Driving an enrollment rush through the gateway, as the people involved would: every family
applies at once (at most `concurrency` requests in flight), each provider works through its
list of new applications, and a family signs its contract as soon as it is offered (the
notification a parent would get is played by watching billing's database)."""
from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import aiohttp
import asyncpg

from bench.rush_seed import Family, RushWorld

RETRIED = {429, 500, 502, 503, 504, 599}  # 599: no answer at all (connection refused or cut)


@dataclass
class RushLog:
    latencies_ms: dict[str, list[float]] = field(default_factory=lambda: {"apply": [], "accept": [], "sign": []})
    answers: Counter = field(default_factory=Counter)
    applied: dict[uuid.UUID, Family] = field(default_factory=dict)   # application → family, answered 201
    started: float = 0.0
    last_signed: float = 0.0
    signed: int = 0


class RushDriver:
    def __init__(self, gateway_url: str, world: RushWorld, tokens: dict[str, str], billing_dsn: str,
                 concurrency: int = 200) -> None:
        self.url, self.world, self.tokens, self.billing_dsn = gateway_url + "/api/v1", world, tokens, billing_dsn
        self.slots = asyncio.Semaphore(concurrency)
        self.log = RushLog()
        self.applying_done = asyncio.Event()
        self.families = {f.subject: f for f in world.families}

    async def _call(self, http: aiohttp.ClientSession, kind: str, method: str, path: str, token: str,
                    body: dict | None = None, attempts: int = 40) -> tuple[int, dict | list | None]:
        """One request as a careful client makes it: the same Idempotency-Key on every retry, and
        patience (~3 minutes by default) for a service that is restarting."""
        key = str(uuid.uuid4())
        for attempt in range(attempts):
            async with self.slots:
                began = time.perf_counter()
                try:
                    async with http.request(method, self.url + path, json=body, headers={
                            "Authorization": f"Bearer {token}", "Idempotency-Key": key}) as r:
                        status, data = r.status, await r.json(content_type=None)
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    status, data = 599, None
                if kind:
                    self.log.latencies_ms[kind].append((time.perf_counter() - began) * 1000)
            self.log.answers[f"{kind or method} {status}"] += 1
            if status not in RETRIED:
                return status, data
            await asyncio.sleep(min(5.0, 0.2 * 2 ** attempt))
        return status, data

    async def _apply(self, http, family: Family, group_id: uuid.UUID) -> None:
        status, data = await self._call(http, "apply", "POST", "/applications", self.tokens[family.subject],
                                        {"group_id": str(group_id), "certificate_id": str(family.certificate_id)})
        if status == 201:
            self.log.applied[uuid.UUID(data["id"])] = family

    async def _provider(self, http, provider_id: uuid.UUID) -> None:
        token = self.tokens[str(provider_id)]
        while True:
            finished = self.applying_done.is_set()
            status, page = await self._call(http, "", "GET", "/applications?status=submitted&page_size=100", token)
            if status != 200:
                await asyncio.sleep(1.0)
                continue
            found = [a["id"] for a in page["items"]]
            if not found:
                if finished:
                    return
                await asyncio.sleep(1.0)
                continue
            await asyncio.gather(*(self._call(http, "accept", "POST", f"/applications/{a}/accept", token)
                                   for a in found))

    async def _signer(self, http, stop: asyncio.Event) -> None:
        conn, asked = await asyncpg.connect(self.billing_dsn), set()
        pending: set[asyncio.Task] = set()

        async def sign(contract_id: str, family: Family) -> None:
            status, _ = await self._call(http, "sign", "POST", f"/contracts/{contract_id}/sign",
                                         self.tokens[family.subject])
            if status == 200:
                self.log.signed += 1
                self.log.last_signed = time.perf_counter()
            else:
                asked.discard(contract_id)  # still offered at the next look: the family tries again
        try:
            while not stop.is_set():
                # By the contract's owner, not by the answers the family got: an application whose
                # 201 was lost on the way (a process killed mid-answer) still has a family to sign it.
                for row in await conn.fetch("SELECT id, owner FROM contracts WHERE status = 'offered'"):
                    cid = row["id"]
                    if cid not in asked and (family := self.families.get(row["owner"])) is not None:
                        asked.add(cid)
                        task = asyncio.create_task(sign(cid, family))
                        pending.add(task)
                        task.add_done_callback(pending.discard)
                await asyncio.sleep(0.3)
            await asyncio.gather(*pending)
        finally:
            await conn.close()

    async def run(self, choose_group, done, deadline_s: float = 300) -> RushLog:
        """`choose_group(i)` picks family i's group; `done()` tells when every saga has ended
        (or the deadline passes: what has not ended by then counts as lost)."""
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=30)) as http:
            stop = asyncio.Event()
            signer = asyncio.create_task(self._signer(http, stop))
            providers = [asyncio.create_task(self._provider(http, p)) for p in self.world.providers]
            self.log.started = time.perf_counter()
            await asyncio.gather(*(self._apply(http, f, choose_group(i)) for i, f in enumerate(self.world.families)))
            self.applying_done.set()
            await asyncio.gather(*providers)
            while not await done() and time.perf_counter() - self.log.started < deadline_s:
                await asyncio.sleep(0.5)
            stop.set()
            await signer
        return self.log
