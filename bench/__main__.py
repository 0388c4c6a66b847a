"""`make bench`: this machine's raw limits, then the platform's three benchmarks, each figure
printed beside the limit it is held against; the whole run is kept in bench/last-run.json.

    python -m bench [--rush-children 2000] [--close-contracts 100000] [--profile]

The rush defaults to 2 000 children so that the whole run stays within ten minutes here: the
platform takes ~11 applications/s end to end on this machine (bench/RESULTS.md), so 10 000
(`--rush-children 10000`) alone takes about a quarter of an hour.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import platform as host
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

from bench import month_close, rush, search
from bench.databases import AMQP, PG
from bench.pg_limit import balance_hold_rate
from bench.rabbit_limit import publish_and_consume
from pfdo_kit.db import asyncpg_dsn

OUT = Path(__file__).parent / "last-run.json"


def versions() -> dict:
    import aio_pika, fastapi, sqlalchemy, uvicorn  # noqa: E401

    def first_line(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True).stdout.strip().splitlines()[0]
        except (OSError, IndexError):
            return "unknown"
    return {"python": host.python_version(), "fastapi": fastapi.__version__, "sqlalchemy": sqlalchemy.__version__,
            "aio_pika": aio_pika.__version__, "uvicorn": uvicorn.__version__,
            "postgresql": first_line(["psql", "--version"]), "wrk": first_line(["wrk", "--version"]),
            "cpus": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip(),
            "cpu": next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                         if line.startswith("model name")), "unknown")}


async def limits() -> dict:
    admin = await asyncpg.connect(asyncpg_dsn(PG))
    try:
        pg = await balance_hold_rate(admin, PG, connections=16, seconds=10)
    finally:
        await admin.close()
    ping = await asyncio.to_thread(search.bare_ping, 64, 10)
    return {"bare_ping_2_workers": ping.as_dict(), "pg_balance_hold_tx_per_s": round(pg),
            **{k: round(v) for k, v in (await publish_and_consume(AMQP)).items()}}


def ratio(value: float, limit: float) -> str:
    return f"{value:,.1f} ({value / limit:.3f} × {limit:,.0f})" if limit else f"{value:,.1f}"


def summary(run: dict) -> list[str]:
    lim, s, r, c = run["limits"], run["search"], run["rush"], run["month_close"]
    ping = lim["bare_ping_2_workers"]
    checks = r["checks"]
    return [
        f"limits: bare FastAPI ping (2 workers, wrk 64 conns) {ping['requests_per_s']:,} req/s p99 {ping['p99_ms']} ms;"
        f" PostgreSQL balance-hold {lim['pg_balance_hold_tx_per_s']:,} tx/s (16 conns);"
        f" RabbitMQ publish+confirm {lim['publish_confirmed_per_s']:,}/s, consume+ack {lim['consume_acked_per_s']:,}/s",
        f"search via gateway (64 conns): {ratio(s['search']['requests_per_s'], ping['requests_per_s'])} req/s of the"
        f" bare ping; p50 {s['search']['p50_ms']} ms, p99 {s['search']['p99_ms']} ms; errors {s['search']['errors']}",
        f"search uncached (gateway cache off): {ratio(s['uncached']['requests_per_s'], ping['requests_per_s'])} req/s;"
        f" p50 {s['uncached']['p50_ms']} ms, p99 {s['uncached']['p99_ms']} ms; errors {s['uncached']['errors']}",
        f"suggestions uncached (every keystroke): {ratio(s['suggest_uncached']['requests_per_s'], ping['requests_per_s'])}"
        f" req/s; p50 {s['suggest_uncached']['p50_ms']} ms, p99 {s['suggest_uncached']['p99_ms']} ms;"
        f" errors {s['suggest_uncached']['errors']}",
        f"rush: {r['children']:,} children, {r['seats']:,} seats: {r['signed_contracts']:,} signed in {r['rush_s']} s ="
        f" {ratio(r['applications_per_s_to_signed_contract'], lim['pg_balance_hold_tx_per_s'])} applications/s of the"
        f" PostgreSQL balance-hold limit (RabbitMQ's publish+confirm limit {lim['publish_confirmed_per_s']:,}/s);"
        f" parent's apply p99 {r['latency']['apply']['p99_ms']} ms, sign p99 {r['latency']['sign']['p99_ms']} ms",
        "rush per application (commits / events published / deliveries taken): " + ", ".join(
            f"{who} {t['commits']} / {t['events_published']} / {t['deliveries_taken']}"
            for who, t in r["per_application"].items()),
        f"rush CPU per application: platform {r['cpu_ms_per_application'].get('platform')} ms ("
        + ", ".join(f"{who} {ms}" for who, ms in r["cpu_ms_per_application"].items() if who != "platform")
        + f"); accept p99 {r['latency']['accept']['p99_ms']} ms; gateway timeouts and retries:"
        f" {sum(n for answer, n in r['answers'].items() if answer.split()[-1] in ('504', '599'))}",
        f"rush checks: oversold {checks['oversold_seats_groups']}, negative {checks['negative_balances']},"
        f" lost {checks['lost']}, seat counts off {checks['seat_count_mismatches']}, ledgers off"
        f" {checks['ledgers_not_adding_up']}; peak RSS MB {r['peak_rss_mb']}",
        f"month close: {c['contracts']:,} contracts in {c['close_s']} s = "
        f"{ratio(c['contracts_per_s'], c['pg_balance_hold_tx_per_s'])} contracts/s of the PostgreSQL limit;"
        f" exact {c['exact']}, negative {c['negative_balances']}",
        *(f"{name} CPU seconds (machine busy {part['cpu']['machine_busy_pct']} %): "
          + ", ".join(f"{who} {used}" for who, used in part["cpu"]["cpu_s"].items() if used)
          for name, part in (("search", s["search"]), ("search uncached", s["uncached"]),
                             ("suggestions uncached", s["suggest_uncached"]), ("rush", r), ("month close", c))
          if "cpu" in part),
    ]


async def main(args) -> None:
    started = time.monotonic()
    run: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": versions()}
    run["limits"] = await limits()
    print("limits measured", flush=True)
    run["search"] = await search.run(seconds=15)
    uncached = await search.run(seconds=10, cache=False, mixes=("search", "suggest"))
    run["search"]["uncached"], run["search"]["suggest_uncached"] = uncached["search"], uncached["suggest"]
    print("search measured", flush=True)
    run["rush"] = await rush.run(args.rush_children, args.rush_children // 20, 15, args.rush_children // 40,
                                 deadline_s=max(300.0, args.rush_children * 0.15),
                                 profile=("catalog", "certificates", "billing", "gateway") if args.profile else ())
    print("rush measured", flush=True)
    run["month_close"] = await month_close.run(args.close_contracts)
    run["seconds"] = round(time.monotonic() - started)
    OUT.write_text(json.dumps(run, ensure_ascii=False, indent=2, default=str))
    print("\n".join(summary(run)))
    print(f"whole run {run['seconds']} s; every figure in {OUT}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--rush-children", type=int, default=2_000)
    parser.add_argument("--close-contracts", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="sample the services with py-spy during the rush")
    asyncio.run(main(parser.parse_args()))
