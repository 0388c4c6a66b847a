"""wrk, the HTTP load tool every HTTP figure here is measured with, and its output parsed."""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

LUA = Path(__file__).parent / "lua"
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class LoadFigures:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int          # socket errors and non-2xx/3xx answers

    def as_dict(self) -> dict:
        return {"requests_per_s": round(self.requests_per_s), "p50_ms": round(self.p50_ms, 2),
                "p99_ms": round(self.p99_ms, 2), "requests": self.requests, "errors": self.errors}


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()
    return float(value) * UNITS[unit]


def parse(output: str) -> LoadFigures:
    latency = dict(re.findall(r"^\s+(50|99)%\s+([0-9.]+(?:us|ms|s|m))\s*$", output, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    errors += int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0
    return LoadFigures(requests_per_s=float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1)),
                       p50_ms=_ms(latency["50"]), p99_ms=_ms(latency["99"]),
                       requests=int(re.search(r"(\d+) requests in", output).group(1)), errors=errors)


def wrk(url: str, connections: int = 64, seconds: int = 10, threads: int = 1, script: str | None = None,
        headers: dict[str, str] | None = None) -> LoadFigures:
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed: `apt-get install -y wrk` (make bench does it)")
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(LUA / script)]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True)
    return parse(out.stdout)
