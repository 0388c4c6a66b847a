"""Starting and stopping the processes a benchmark measures, and reading their peak memory."""
from __future__ import annotations

import subprocess
import sys
import time

import httpx

from deploy.local.processes import die_with_parent


def wait_http(url: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout_s} s")


def start_bare_ping(port: int, workers: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "bench.bare_ping", "--port", str(port),
                                "--workers", str(workers)], preexec_fn=die_with_parent)
    wait_http(f"http://127.0.0.1:{port}/ping")
    return process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def tree(pid: int) -> list[int]:
    """The process and its children (uvicorn's workers), from /proc."""
    try:
        children = open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        return []
    return [pid] + [p for child in children for p in tree(int(child))]


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory (VmHWM) of the process and its workers, the largest one."""
    peaks = []
    for p in tree(pid):
        try:
            status = open(f"/proc/{p}/status").read()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks, default=0.0), 1)
