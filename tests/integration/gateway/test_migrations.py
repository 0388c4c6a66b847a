"""The gateway's Alembic migrations build exactly what the models describe."""
from gateway.models import metadata
from tests.support.schema import schema_drift


async def test_migrated_schema_matches_the_models(fresh_database, migrated_template):
    url = await fresh_database(template=await migrated_template("gateway"))
    assert await schema_drift(url, metadata) == ([], 1)
