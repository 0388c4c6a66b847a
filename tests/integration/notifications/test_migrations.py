"""The notifications' Alembic migrations build exactly what the models describe."""
from services.notifications.models import metadata
from tests.support.schema import schema_drift


async def test_migrated_schema_matches_the_models(fresh_database, migrated_template):
    template = await migrated_template("services.notifications")
    assert await schema_drift(await fresh_database(template=template), metadata) == ([], 1)
