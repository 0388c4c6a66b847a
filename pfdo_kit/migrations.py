"""Alembic per service: each service keeps `migrations/` in its package and this
module runs them. Migrations are applied by a command, never at service start."""
from __future__ import annotations

import asyncio

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import create_async_engine

from pfdo_kit.db import async_url


def alembic_config(package: str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.set_main_option("sqlalchemy.url", async_url(database_url).replace("%", "%%"))
    return config


def upgrade(package: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(package, database_url), revision)


def run_env(target_metadata: MetaData) -> None:
    """Body of every service's migrations/env.py (online mode, async driver)."""
    from alembic import context

    url = context.config.get_main_option("sqlalchemy.url")

    def migrate(connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
        with context.begin_transaction():
            context.run_migrations()

    async def main() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as conn:
            await conn.run_sync(migrate)
        await engine.dispose()

    asyncio.run(main())
