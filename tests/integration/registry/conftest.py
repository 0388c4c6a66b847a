from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from services.registry.app import create_app
from services.registry.settings import RegistrySettings
from tests.support.service_app import RunningService, running_service, test_settings


@pytest_asyncio.fixture(loop_scope="session")
async def registry_template(migrated_template) -> str:
    return await migrated_template("services.registry")


@pytest_asyncio.fixture(loop_scope="session")
async def registry(fresh_database, registry_template, amqp_url, bus_names, token_mint) -> AsyncIterator[RunningService]:
    url = await fresh_database(template=registry_template)
    settings = test_settings(RegistrySettings, url, amqp_url, bus_names, token_mint)
    async with running_service(create_app, settings, token_mint, bus_names, "registry.#") as service:
        yield service
