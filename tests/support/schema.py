"""Does a migrated database hold exactly what the models describe?"""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, text

from pfdo_kit.db import make_engine


async def schema_drift(url: str, metadata: MetaData) -> tuple[list, int]:
    """(differences between models and database, number of outbox NOTIFY triggers)."""
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
            triggers = (await conn.execute(text(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'outbox_notify' AND NOT tgisinternal"))).scalar_one()
    finally:
        await engine.dispose()
    return diff, triggers
