"""This machine's raw PostgreSQL limit for the platform's core write: a balance-hold transaction
(conditional UPDATE of a balance + an append-only entry), from 16 connections, measured with
pgbench so the client costs as little as possible."""
from __future__ import annotations

import asyncio
import re
import subprocess
import tempfile
import uuid
from pathlib import Path

from pfdo_kit.db import asyncpg_dsn

SCRIPT = """\\set id random(1, 10000)
BEGIN;
UPDATE accounts SET held = held + 1 WHERE id = :id AND balance - held >= 1;
INSERT INTO holds (account, amount) VALUES (:id, 1);
COMMIT;
"""


async def balance_hold_rate(admin, pg_url: str, connections: int = 16, seconds: int = 5) -> float:
    """Transactions per second (pgbench, `connections` clients, 2 threads)."""
    name = f"bench_raw_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = asyncpg_dsn(pg_url).rsplit("/", 1)[0] + "/" + name
    try:
        import asyncpg

        conn = await asyncpg.connect(url)
        await conn.execute("""
            CREATE TABLE accounts (id int PRIMARY KEY, balance bigint NOT NULL, held bigint NOT NULL,
                                   CHECK (held <= balance));
            CREATE TABLE holds (id bigserial PRIMARY KEY, account int NOT NULL, amount bigint NOT NULL);
            INSERT INTO accounts SELECT g, 1000000000, 0 FROM generate_series(1, 10000) g;""")
        await conn.close()
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write(SCRIPT)
        out = await asyncio.to_thread(subprocess.run, [
            "pgbench", "-n", "-c", str(connections), "-j", "2", "-T", str(seconds), "-f", f.name, url],
            capture_output=True, text=True, check=True)
        Path(f.name).unlink()
        return float(re.search(r"tps = ([0-9.]+)", out.stdout).group(1))
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
