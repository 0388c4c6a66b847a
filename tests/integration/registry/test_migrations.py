"""The registry's Alembic migrations build exactly what the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from pfdo_kit.db import make_engine
from services.registry.models import metadata


async def test_migrated_schema_matches_the_models(fresh_database, registry_template):
    engine = make_engine(await fresh_database(template=registry_template))
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(MigrationContext.configure(sync, opts={"compare_type": True}), metadata)
            )
            trigger = (await conn.execute(text(
                "SELECT count(*) FROM pg_trigger WHERE tgname = 'outbox_notify' AND NOT tgisinternal"))).scalar_one()
    finally:
        await engine.dispose()
    assert diff == []
    assert trigger == 1
