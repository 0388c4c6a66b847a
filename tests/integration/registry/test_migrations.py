"""The registry's Alembic migrations build exactly what the models describe."""
from services.registry.models import metadata
from tests.support.schema import schema_drift


async def test_migrated_schema_matches_the_models(fresh_database, registry_template):
    assert await schema_drift(await fresh_database(template=registry_template), metadata) == ([], 1)
