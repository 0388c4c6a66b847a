"""The enrollment rush: N children with funded certificates apply at once, through the gateway,
to groups with fewer seats than children; providers accept; parents sign. Then the invariants.

    python -m bench.rush [--children 10000 --groups 500 --seats 15 --providers 250]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import time
from pathlib import Path

from bench.cpu_share import CpuShare
from bench.databases import BenchDatabases
from bench.platform import BenchPlatform
from bench.profiling import Profiler
from bench.rush_checks import UNFINISHED, invariants
from bench.rush_driver import RushDriver
from bench.rush_seed import MUNICIPALITY, plan, seed_catalog, seed_certificates
from bench.rush_traffic import Traffic
from pfdo_kit.clock import Clock
from pfdo_kit.db import asyncpg_dsn

SERVICES = ["certificates", "catalog", "billing", "gateway"]
# A provider accepting dozens of applications in a minute is the rush itself, not abuse.
RUSH_ENV = {"GATEWAY_WRITES_PER_MINUTE": "1000", "{P}OUTBOX_POLL_INTERVAL_S": "0.2"}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1) if len(values) > 1 else values[0]


LOAD = ("the rush driver (this process)", "wrk (the load tool)")  # the clients, not the platform


def cpu_per_application(cpu_s: dict[str, float], applications: int) -> dict[str, float]:
    """CPU milliseconds per application answered, per process and for the platform (every service, PostgreSQL
    and RabbitMQ; the load's own processes listed but not counted in it)."""
    if not applications:
        return {}
    per = {name: round(1000 * used / applications, 1) for name, used in cpu_s.items() if used}
    per["platform"] = round(1000 * sum(used for name, used in cpu_s.items() if name not in LOAD) / applications, 1)
    return per


def latency(values: list[float]) -> dict:
    return {"count": len(values), "p50_ms": percentile(values, 50), "p99_ms": percentile(values, 99)}


async def run(children: int = 10_000, groups: int = 500, seats: int = 15, providers: int = 250,
              concurrency: int = 200, workers: dict[str, int] | None = None, deadline_s: float = 300,
              profile: tuple[str, ...] = ()) -> dict:
    world = plan(children, groups, seats, providers)
    async with BenchDatabases(SERVICES) as dbs:
        seeding = time.perf_counter()
        conns = {s: await dbs.connect(s) for s in ("certificates", "catalog", "billing")}
        await seed_certificates(conns["certificates"], world, Clock().today().year)
        await seed_catalog(conns["catalog"], world)
        bench = BenchPlatform(dbs, workers=workers, env=RUSH_ENV)
        tokens = await asyncio.to_thread(lambda: {
            **{f.subject: bench.token("parent", f.subject, MUNICIPALITY) for f in world.families},
            **{str(p): bench.token("provider", f"bench-staff-{p}", MUNICIPALITY, provider_id=p)
               for p in world.providers}})
        seeding_s = time.perf_counter() - seeding
        await bench.start(*SERVICES)
        try:
            driver = RushDriver(bench.url("gateway"), world, tokens, asyncpg_dsn(dbs.urls["billing"]), concurrency)
            rng = random.Random(7)
            group_ids = [g for g, _ in world.groups]

            async def done() -> bool:
                return await conns["catalog"].fetchval(
                    "SELECT count(*) FROM applications WHERE status = ANY($1::text[])", list(UNFINISHED)) == 0

            profilers = {name: Profiler(bench.platform.processes[name].pid, Path(f"/tmp/bench-{name}.spy"))
                         for name in profile}
            cpu = CpuShare({name: p.pid for name, p in bench.platform.processes.items()},
                           alone={"the rush driver (this process)": os.getpid()})
            traffic = Traffic(conns, {s: dbs.urls[s].rsplit("/", 1)[1] for s in conns})
            await traffic.start()
            cpu.start()
            log = await driver.run(lambda i: rng.choice(group_ids), done, deadline_s)
            cpu_used = cpu.stop()
            per_application = await traffic.stop(len(log.applied))
            profiles = {name: p.stop() for name, p in profilers.items()}
            rss = bench.peak_rss_mb()  # the last outbox rows went out during the traffic's second
            checks = await invariants(conns["catalog"], conns["billing"], conns["certificates"], len(log.applied),
                                      seats)
        finally:
            await bench.stop()
            for conn in conns.values():
                await conn.close()
    elapsed = (log.last_signed or time.perf_counter()) - log.started
    return {"children": children, "groups": groups, "seats": groups * seats, "providers": providers,
            "client_concurrency": concurrency, "workers": workers or {}, "seeding_s": round(seeding_s, 1),
            "rush_s": round(elapsed, 1), "signed_contracts": log.signed,
            "applications_per_s_to_signed_contract": round(log.signed / elapsed, 1) if elapsed else 0,
            "applications_decided_per_s": round(len(log.applied) / elapsed, 1) if elapsed else 0,
            "latency": {kind: latency(v) for kind, v in log.latencies_ms.items()},
            "answers": dict(log.answers), "cpu": cpu_used,
            "cpu_ms_per_application": cpu_per_application(cpu_used["cpu_s"], len(log.applied)),
            "per_application": per_application, "peak_rss_mb": rss, "checks": checks,
            **({"profiles": profiles} if profiles else {})}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.rush")
    parser.add_argument("--children", type=int, default=10_000)
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--seats", type=int, default=15)
    parser.add_argument("--providers", type=int, default=250)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--profile", nargs="*", default=[], help="services to sample with py-spy")
    parser.add_argument("--deadline", type=float, default=300, help="seconds before unfinished sagas count as lost")
    parser.add_argument("--workers", nargs="*", default=[], metavar="SERVICE=N",
                        help="uvicorn worker processes of a service (default one each), e.g. catalog=2")
    args = parser.parse_args()
    workers = {name: int(count) for name, count in (item.split("=", 1) for item in args.workers)}
    result = asyncio.run(run(args.children, args.groups, args.seats, args.providers, args.concurrency,
                             workers=workers, deadline_s=args.deadline, profile=tuple(args.profile)))
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))


if __name__ == "__main__":
    main()
