"""Sampling a running service with py-spy (no restart, no code change) and summing where its
time goes: the frames that burn CPU themselves, and the platform's own functions with the
time spent in and under them. Only samples taken while the process holds the GIL count
(`--gil`): on an oversubscribed machine a thread waiting for a core looks busy to a
wall-clock sampler, wherever it happened to stop."""
from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path


class Profiler:
    def __init__(self, pid: int, out: Path, seconds: int = 600) -> None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        self.out = out
        self.process = subprocess.Popen([spy, "record", "--pid", str(pid), "--subprocesses", "--nonblocking",
                                         "--gil", "--format", "raw", "--output", str(out), "--duration", str(seconds)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> dict:
        self.process.send_signal(2)  # SIGINT: py-spy writes what it sampled
        self.process.wait(30)
        return summarise(self.out) if self.out.exists() else {}


OWN_CODE = ("services/", "gateway/", "pfdo_kit/")


def summarise(raw: Path, top: int = 12) -> dict:
    own, inside, total = Counter(), Counter(), 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n, frames = int(count), stack.split(";")
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            if any(part in frame for part in OWN_CODE):
                inside[frame] += n
    share = lambda n: round(100 * n / total, 1) if total else 0.0  # noqa: E731
    return {"samples": total,
            "busiest_frames_pct": {f: share(n) for f, n in own.most_common(top)},
            "own_code_inclusive_pct": {f: share(n) for f, n in inside.most_common(top)}}
