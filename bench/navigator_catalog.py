"""The Navigator's catalog page against a running platform (`make run`'s demo by default): latency over
a mix of searches and filters as a family clicks them, one request at a time and four at a time, and the
weight of a page with what it loads (no images).

    python -m bench.navigator_catalog [--url http://127.0.0.1:8080] [--requests 200]

A measurement, not a test: it prints p50/p95/p99 beside the issue's limits (a catalog page ≤ 100 ms at p95,
a page ≤ 150 KB without images)."""
from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from urllib.parse import urlencode

import httpx

QUERIES = [{}, {"q": "робототехника"}, {"q": "танцы"}, {"q": "шахмат"}, {"q": "футбол", "certificate": "true"},
           {"direction": "artistic"}, {"age": "9"}, {"free_seats": "true", "municipality": "chegem"},
           {"q": "рисование", "age": "7"}, {"direction": "physical_sports", "weekday": "2"}, {"page": "2"},
           {"q": "англиский"}, {"sort": "rating"}, {"q": "программирование", "after": "15:00"}]
LIMIT_P95_MS, LIMIT_KB = 100, 150


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _distinct(n: int) -> dict:
    """A page nobody asked for yet: the gateway's cache of public search pages cannot answer it."""
    return QUERIES[n % len(QUERIES)] | {"age": str(3 + n % 16), "page": str(1 + n // 16)}


async def _run(client: httpx.AsyncClient, count: int, concurrency: int, distinct: bool = False) -> list[float]:
    timings: list[float] = []
    counter = iter(range(count))

    async def worker() -> None:
        for n in counter:
            params = _distinct(n) if distinct else QUERIES[n % len(QUERIES)]
            started = time.perf_counter()
            answer = await client.get("/?" + urlencode(params))
            timings.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return timings


async def page_weight(client: httpx.AsyncClient, path: str) -> tuple[int, dict[str, int]]:
    html = (await client.get(path)).content
    parts = {"html": len(html)}
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        parts[asset.decode()] = len((await client.get(asset.decode())).content)
    return sum(parts.values()), parts


async def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.navigator_catalog")
    parser.add_argument("--url", default="http://127.0.0.1:8080")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    async with httpx.AsyncClient(base_url=args.url, timeout=30) as client:
        await _run(client, len(QUERIES), 1)  # warm: connections, templates, the gateway's page cache
        for concurrency, distinct in ((1, False), (4, False), (1, True)):
            timings = await _run(client, args.requests, concurrency, distinct)
            p50, p95, p99 = (_percentile(timings, s) for s in (0.5, 0.95, 0.99))
            mix = "every page new (the gateway's cache misses)" if distinct else "the family's mix"
            print(f"catalog page, {mix}, {args.requests} requests, {concurrency} at a time: p50 {p50:.1f} ms, "
                  f"p95 {p95:.1f} ms (limit {LIMIT_P95_MS}), p99 {p99:.1f} ms, mean {statistics.mean(timings):.1f} ms")
        for path in ("/", "/?q=" + "робототехника"):
            total, parts = await page_weight(client, path)
            print(f"page weight {path}: {total / 1024:.1f} KB without images (limit {LIMIT_KB}): "
                  + ", ".join(f"{k} {v / 1024:.1f} KB" for k, v in parts.items()))


if __name__ == "__main__":
    asyncio.run(main())
