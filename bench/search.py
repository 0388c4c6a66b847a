"""Catalog search through the gateway on a region-sized catalog (7 000 programs, 25 000 groups),
a mix of real queries at 64 connections with wrk, beside the bare ping served by 2 workers.

    python -m bench.search [--seconds 15]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile

from bench import load_tool, search_mix, servers
from bench.cpu_share import CpuShare
from bench.databases import BenchDatabases
from bench.generate_catalog import generate
from bench.platform import BenchPlatform

PING_PORT = 18999


def bare_ping(connections: int, seconds: int, workers: int = 2) -> load_tool.LoadFigures:
    process = servers.start_bare_ping(PING_PORT, workers)
    try:
        return load_tool.wrk(f"http://127.0.0.1:{PING_PORT}/ping", connections, seconds)
    finally:
        servers.stop(process)


async def run(seconds: int = 15, connections: int = 64, workers: dict[str, int] | None = None,
              cache: bool = True) -> dict:
    workers = workers or {"gateway": 1, "catalog": 1}
    async with BenchDatabases(["catalog", "gateway"]) as dbs:
        seeded = await generate(dbs.urls["catalog"], 7000, 25000, 300, 2026)
        bench = BenchPlatform(dbs, workers=workers, env={} if cache else {"GATEWAY_PUBLIC_CACHE_ENTRIES": "0"})
        await bench.start("catalog", "gateway")
        with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as f:
            f.write("\n".join(search_mix.paths()) + "\n")
        os.environ["WRK_PATHS"] = f.name
        try:
            load_tool.wrk(bench.url("gateway") + "/api/v1/programs", connections, 3, script="paths.lua")  # warm-up
            cpu = CpuShare({name: p.pid for name, p in bench.platform.processes.items()})
            cpu.start()
            search = await asyncio.to_thread(load_tool.wrk, bench.url("gateway"), connections, seconds,
                                             script="paths.lua")
            cpu_used = cpu.stop()
            rss = bench.peak_rss_mb()
        finally:
            os.unlink(f.name)
            await bench.stop()
    return {"catalog": seeded, "workers": workers, "connections": connections, "gateway_cache": cache,
            "search": search.as_dict(), "cpu": cpu_used, "peak_rss_mb": rss}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--gateway-workers", type=int, default=1)
    parser.add_argument("--catalog-workers", type=int, default=1)
    args = parser.parse_args()
    result = asyncio.run(run(args.seconds, workers={"gateway": args.gateway_workers,
                                                    "catalog": args.catalog_workers}))
    ping = bare_ping(64, args.seconds)
    result |= {"bare_ping_2_workers": ping.as_dict(),
               "ratio_to_bare_ping": round(result["search"]["requests_per_s"] / ping.requests_per_s, 3)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
