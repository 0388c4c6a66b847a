"""Counting rows in a service's database, to prove that a refused request changed nothing."""
from __future__ import annotations

from sqlalchemy import text

from pfdo_kit.db import make_engine


async def count_rows(database_url: str, table: str) -> int:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one()
    finally:
        await engine.dispose()
