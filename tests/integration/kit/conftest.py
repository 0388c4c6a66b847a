from collections.abc import AsyncIterator

import pytest_asyncio

from tests.integration.kit.harness import BusHarness


@pytest_asyncio.fixture(loop_scope="session")
async def bus(fresh_database, amqp_url, bus_names) -> AsyncIterator[BusHarness]:
    harness = BusHarness(await fresh_database(), amqp_url, bus_names)
    await harness.start()
    yield harness
    await harness.stop()
