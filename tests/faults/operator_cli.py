"""Running `python -m services.<name> dead-letters ...` as an operator would, with a test's settings."""
from __future__ import annotations

import asyncio
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from pfdo_kit.settings import ServiceSettings

REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str


async def dead_letters(package: str, settings: ServiceSettings, *args: str) -> Outcome:
    prefix = settings.model_config["env_prefix"]
    env = {**os.environ, **{f"{prefix}{k}": str(v) for k, v in {
        "DATABASE_URL": settings.database_url, "AMQP_URL": settings.amqp_url, "DISTRICT": settings.district,
        "MUNICIPALITIES": json.dumps([m.model_dump() for m in settings.municipalities]),
        "BUS_EXCHANGE": settings.bus_exchange, "BUS_QUEUE_PREFIX": settings.bus_queue_prefix,
        "LOG_JSON": "false"}.items()}}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", package, "dead-letters", *args, cwd=REPO, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode in (0, 1), f"dead-letters {args} failed:\n{out.decode()}\n{err.decode()}"
    return Outcome(process.returncode, out.decode())
