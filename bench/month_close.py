"""Month close at volume: N signed contracts with a month of attendance, billing and
certificates running as their own processes on loopback; the time from the operator's request
until every debit is confirmed and every invoice issued. Held against this machine's raw
PostgreSQL limit measured in the same run (a balance-hold transaction from 16 connections).

    python -m bench.month_close [--contracts 100000]

Uses the local PostgreSQL and RabbitMQ (BENCH_DATABASE_URL / BENCH_AMQP_URL, bench/databases.py)
in databases and bus names of its own, dropped afterwards.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
import uuid
from datetime import date
from pathlib import Path

import httpx

from bench.cpu_share import CpuShare
from bench.databases import PG, BenchDatabases
from bench.money_seed import plan, seed_attendance, seed_certificates, seed_contracts
from bench.pg_limit import balance_hold_rate
from bench.platform import BenchPlatform
from bench.profiling import Profiler
from pfdo_kit.db import make_engine, make_sessions

MONTH, TUESDAYS = "2026-09", [date(2026, 9, d) for d in (1, 8, 15, 22, 29)]


async def _seed(urls: dict[str, str], n: int) -> int:
    contracts = plan(n, [uuid.uuid4() for _ in range(max(1, n // 500))], ("2026-09", "2026-10", "2026-11"))
    for name, work in (("certificates", lambda s: seed_certificates(s, contracts, credit_kop=3_000_00)),
                       ("billing", lambda s: _billing_rows(s, contracts))):
        engine = make_engine(urls[name])
        async with make_sessions(engine)() as session, session.begin():
            await work(session)
        await engine.dispose()
    return sum(100_00 * min(i % 6, 5) for i in range(n))


async def _billing_rows(session, contracts) -> None:
    await seed_contracts(session, contracts, signed_on=date(2026, 8, 25), planned_lessons=5)
    marks = [(c.contract_id, c.group_id, day, k < i % 6) for i, c in enumerate(contracts)
             for k, day in enumerate(TUESDAYS)]
    await seed_attendance(session, marks)


async def _close(api: httpx.AsyncClient) -> tuple[dict, dict[str, float]]:
    """Ask for the close and wait for it; returns the final state and when each step was first seen."""
    t0 = time.monotonic()
    assert (await api.post(f"/municipalities/chegem/months/{MONTH}/close")).status_code == 202
    seen: dict[str, float] = {}
    while True:
        state = (await api.get(f"/municipalities/chegem/months/{MONTH}")).json()
        seen.setdefault(state["status"], round(time.monotonic() - t0, 1))
        if state["status"] == "closed":
            return state, seen
        await asyncio.sleep(0.2)


async def run(n: int, profile: tuple[str, ...] = ()) -> dict:
    async with BenchDatabases(["certificates", "billing"]) as dbs:
        raw = await balance_hold_rate(dbs.admin, PG, connections=16, seconds=5)
        started = time.monotonic()
        expected_kop = await _seed(dbs.urls, n)
        seeded_s = time.monotonic() - started
        bench = BenchPlatform(dbs, env={"BILLING_CLOSE_POLL_INTERVAL_S": "0.5", "BILLING_CLOCK_DATE": "2026-10-05"})
        await bench.start("certificates", "billing")
        try:
            token = bench.token("operator", "bench-operator", "chegem")
            async with httpx.AsyncClient(base_url=bench.url("billing") + "/api/v1",
                                         headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
                profilers = {name: Profiler(bench.platform.processes[name].pid, Path(f"/tmp/bench-close-{name}.spy"))
                             for name in profile}
                cpu = CpuShare({name: p.pid for name, p in bench.platform.processes.items()})
                cpu.start()
                state, seen = await _close(api)
                cpu_used = cpu.stop()
                close_s = seen["closed"]
                profiles = {name: p.stop() for name, p in profilers.items()}
        finally:
            await bench.stop()
        cert = await dbs.connect("certificates")
        debited = await cert.fetchval("SELECT coalesce(sum(amount_kop), 0) FROM ledger_entries WHERE kind = 'debit'")
        negative = await cert.fetchval("SELECT count(*) FROM certificates WHERE "
                                       "credited_kop - expired_kop - held_kop - debited_kop + reversed_kop < 0")
        await cert.close()
    rate = n / close_s
    return {"contracts": n, "seed_s": round(seeded_s, 1), "close_s": round(close_s, 1),
            "contracts_per_s": round(rate), "pg_balance_hold_tx_per_s": round(raw),
            "ratio_to_pg_limit": round(rate / raw, 3), "charges": state["charges_count"],
            "invoices": state["invoices_count"], "debited_kop": int(debited), "expected_kop": expected_kop,
            "exact": debited == expected_kop == state["charges_kop"], "negative_balances": negative,
            "steps_first_seen_s": seen, "cpu": cpu_used, **({"profiles": profiles} if profiles else {})}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.month_close")
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--profile", nargs="*", default=[], help="services to sample with py-spy")
    args = parser.parse_args()
    print(json.dumps(asyncio.run(run(args.contracts, tuple(args.profile))), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
