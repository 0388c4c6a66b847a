"""Catalog search through the gateway on a region-sized catalog (7 000 programs, 25 000 groups),
a mix of real queries at 64 connections with wrk, beside the bare ping served by 2 workers:
with the gateway's cache on (what families get), with it off (every request reaches the
catalog and PostgreSQL), and the suggestions' keystrokes with it off.

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
MIXES = {"search": search_mix.paths, "suggest": search_mix.suggestion_paths}


def bare_ping(connections: int, seconds: int, workers: int = 2) -> load_tool.LoadFigures:
    process = servers.start_bare_ping(PING_PORT, workers)
    try:
        return load_tool.wrk(f"http://127.0.0.1:{PING_PORT}/ping", connections, seconds)
    finally:
        servers.stop(process)


async def run(seconds: int = 15, connections: int = 64, workers: dict[str, int] | None = None,
              cache: bool = True, mixes: tuple[str, ...] = ("search",)) -> dict:
    """Each mix in turn against one platform; `cache=False` turns the gateway's cache of public answers off."""
    workers = workers or {"gateway": 1, "catalog": 1}
    async with BenchDatabases(["catalog", "gateway"]) as dbs:
        seeded = await generate(dbs.urls["catalog"], 7000, 25000, 300, 2026)
        bench = BenchPlatform(dbs, workers=workers, env={} if cache else {"GATEWAY_PUBLIC_CACHE_ENTRIES": "0"})
        await bench.start("catalog", "gateway")
        result = {"catalog": seeded, "workers": workers, "connections": connections, "gateway_cache": cache}
        try:
            for mix in mixes:
                result[mix] = await _measure(bench, MIXES[mix](), connections, seconds)
            result["peak_rss_mb"] = bench.peak_rss_mb()
        finally:
            await bench.stop()
    return result


async def _measure(bench: BenchPlatform, paths: list[str], connections: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".paths", delete=False) as f:
        f.write("\n".join(paths) + "\n")
    os.environ["WRK_PATHS"] = f.name
    try:
        load_tool.wrk(bench.url("gateway"), connections, 3, script="paths.lua")  # warm-up
        cpu = CpuShare({name: p.pid for name, p in bench.platform.processes.items()})
        cpu.start()
        figures = await asyncio.to_thread(load_tool.wrk, bench.url("gateway"), connections, seconds,
                                          script="paths.lua")
        return figures.as_dict() | {"cpu": cpu.stop()}
    finally:
        os.unlink(f.name)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--gateway-workers", type=int, default=1)
    parser.add_argument("--catalog-workers", type=int, default=1)
    args = parser.parse_args()
    workers = {"gateway": args.gateway_workers, "catalog": args.catalog_workers}
    result = {"cached": asyncio.run(run(args.seconds, workers=workers)),
              "uncached": asyncio.run(run(args.seconds, workers=workers, cache=False, mixes=("search", "suggest")))}
    ping = bare_ping(64, args.seconds)
    result["bare_ping_2_workers"] = ping.as_dict()
    result["ratio_to_bare_ping"] = {
        "search": round(result["cached"]["search"]["requests_per_s"] / ping.requests_per_s, 3),
        "search_uncached": round(result["uncached"]["search"]["requests_per_s"] / ping.requests_per_s, 3),
        "suggest_uncached": round(result["uncached"]["suggest"]["requests_per_s"] / ping.requests_per_s, 3)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
