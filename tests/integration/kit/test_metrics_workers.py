"""Prometheus with several workers: a service served by two uvicorn workers (processes) answers every
scrape with what both counted (PROMETHEUS_MULTIPROC_DIR), whichever worker takes the scrape; and the
outbox's gauges say how many events wait unsent and for how long."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.municipalities import TEST_MUNICIPALITIES_JSON

ROUTE = 'pfdo_http_requests_total{method="GET",route="/api/v1/providers",status="200"}'


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _count(scrape: str) -> float:
    match = re.search(re.escape(ROUTE) + r" ([0-9.e+]+)", scrape)
    return float(match.group(1)) if match else 0.0


async def test_a_scrape_adds_up_every_worker(fresh_database, migrated_template, amqp_url, bus_names, token_mint,
                                             tmp_path: Path):
    db = await fresh_database(template=await migrated_template("services.registry"))
    port, metrics_dir = _free_port(), tmp_path / "metrics"
    env = dict(os.environ) | {
        "REGISTRY_DATABASE_URL": db, "REGISTRY_AMQP_URL": amqp_url, "REGISTRY_DISTRICT": "test-district",
        "REGISTRY_MUNICIPALITIES": TEST_MUNICIPALITIES_JSON, "REGISTRY_PORT": str(port),
        "REGISTRY_BUS_EXCHANGE": bus_names.exchange, "REGISTRY_BUS_QUEUE_PREFIX": bus_names.queue_prefix,
        "REGISTRY_BUS_QUEUE_EXPIRES_MS": "60000", "REGISTRY_JWT_PUBLIC_KEYS": json.dumps([token_mint.public_pem]),
        "REGISTRY_LOG_LEVEL": "WARNING", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    process = subprocess.Popen([sys.executable, "-m", "services.registry", "serve", "--workers", "2"], env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and process.poll() is None, "the service did not start"
            time.sleep(0.2)
        for _ in range(40):  # each on a new connection: the workers take turns accepting them
            with httpx.Client(base_url=base) as client:
                assert client.get("/api/v1/providers").status_code == 200
        pids = {m.group(1) for f in metrics_dir.glob("counter_*.db") if (m := re.search(r"_(\d+)\.db$", f.name))}
        assert len(pids) == 2, "both workers counted requests"
        for _ in range(6):
            with httpx.Client(base_url=base) as client:
                scrape = client.get("/metrics").text
            assert _count(scrape) == 40, "every scrape adds up both workers"
        assert "pfdo_outbox_unsent_events 0.0" in scrape and "pfdo_outbox_oldest_unsent_age_seconds 0.0" in scrape
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)
