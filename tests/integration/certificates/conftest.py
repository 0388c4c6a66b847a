from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from services.certificates.app import create_app
from services.certificates.settings import CertificatesSettings
from tests.support.service_app import RunningService, running_service, test_settings


async def _service(fresh_database, migrated_template, amqp_url, bus_names, token_mint, **overrides):
    url = await fresh_database(template=await migrated_template("services.certificates"))
    settings = test_settings(CertificatesSettings, url, amqp_url, bus_names, token_mint, **overrides)
    return running_service(create_app, settings, token_mint, bus_names, "certificates.#")


@pytest_asyncio.fixture(loop_scope="session")
async def certificates(fresh_database, migrated_template, amqp_url, bus_names,
                       token_mint) -> AsyncIterator[RunningService]:
    async with await _service(fresh_database, migrated_template, amqp_url, bus_names, token_mint,
                              runs_poll_interval_s=0.05) as service:
        yield service


@pytest_asyncio.fixture(loop_scope="session")
async def certificates_idle(fresh_database, migrated_template, amqp_url, bus_names,
                            token_mint) -> AsyncIterator[RunningService]:
    """The service without its runs job: runs stay queued until a test works them
    (jobs.runs.work_one_batch)."""
    async with await _service(fresh_database, migrated_template, amqp_url, bus_names, token_mint,
                              runs_worker=False) as service:
        yield service
