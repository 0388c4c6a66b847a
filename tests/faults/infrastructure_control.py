"""Restarting the machine's RabbitMQ and PostgreSQL under a running platform. These scenarios
need the local servers' own controls; without them the test fails (it is never skipped)."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=120)


def restart_rabbitmq(down_s: float = 3.0) -> None:
    """`rabbitmqctl stop_app`, a pause, `start_app`: every connection of every service is cut."""
    assert shutil.which("rabbitmqctl"), "rabbitmqctl is needed to restart the broker in this scenario"
    try:
        _run("rabbitmqctl", "stop_app")
        time.sleep(down_s)
    finally:  # the broker is the machine's: never leave it stopped, whatever interrupts the pause
        _run("rabbitmqctl", "start_app")
        _run("rabbitmqctl", "await_startup")


def restart_postgresql() -> None:
    """A fast restart of the local cluster: every session of every service is terminated."""
    assert shutil.which("pg_ctlcluster"), "pg_ctlcluster is needed to restart PostgreSQL in this scenario"
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]
    _run("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast")
    deadline = time.monotonic() + 60
    while subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode != 0:
        assert time.monotonic() < deadline, "PostgreSQL did not come back in 60 s"
        time.sleep(0.2)
