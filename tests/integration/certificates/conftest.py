from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from services.certificates.app import create_app
from services.certificates.settings import CertificatesSettings
from tests.support.service_app import RunningService, running_service, test_settings


@pytest_asyncio.fixture(loop_scope="session")
async def certificates(fresh_database, migrated_template, amqp_url, bus_names, token_mint) -> AsyncIterator[RunningService]:
    url = await fresh_database(template=await migrated_template("services.certificates"))
    settings = test_settings(CertificatesSettings, url, amqp_url, bus_names, token_mint)
    async with running_service(create_app, settings, token_mint, bus_names, "certificates.#") as service:
        yield service
