"""Where a benchmark's CPU went: the CPU seconds each service, PostgreSQL, RabbitMQ and wrk used
between two readings of /proc, and how busy the whole machine was. A sampling profiler counts
wall time, so on an oversubscribed machine it cannot tell waiting for a core from working;
these counters can."""
from __future__ import annotations

import os
import time
from pathlib import Path

from bench.servers import tree

TICK = os.sysconf("SC_CLK_TCK")
SERVERS = {"postgres": "postgresql", "beam.smp": "rabbitmq", "wrk": "wrk (the load tool)"}


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _servers() -> dict[str, float]:
    used = dict.fromkeys(SERVERS.values(), 0.0)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = (entry / "comm").read_text().strip()
            except OSError:
                continue
            if name in SERVERS:
                used[SERVERS[name]] += _cpu_s(int(entry.name))
    return used


def _machine_busy_s() -> float:
    ticks = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / TICK  # all but idle and iowait


class CpuShare:
    """`start()` before the work, `stop()` after: CPU seconds per process and the machine's busy share.
    `services`: name -> pid, counted with its worker processes; `alone`: name -> pid, without
    its children (the benchmark's own process, whose children are the services)."""

    def __init__(self, services: dict[str, int], alone: dict[str, int] | None = None) -> None:
        self.services, self.alone = services, alone or {}

    def _read(self) -> dict[str, float]:
        used = {name: sum(_cpu_s(p) for p in tree(pid)) for name, pid in self.services.items()}
        used |= {name: _cpu_s(pid) for name, pid in self.alone.items()}
        return used | _servers() | {"machine": _machine_busy_s(), "wall": time.monotonic()}

    def start(self) -> None:
        self._before = self._read()

    def stop(self) -> dict:
        after = self._read()
        used = {name: round(after[name] - self._before[name], 1) for name in after}
        wall = used.pop("wall")
        machine = used.pop("machine")
        return {"cpu_s": used, "wall_s": wall, "machine_busy_pct": round(100 * machine / (wall * os.cpu_count()))}
