"""One platform per test module, as in the end-to-end tests, each process's output kept in a
file (`platform.platform.log_path(name)`). A module may set PLATFORM_ENV (more environment for
the processes) and PLATFORM_LOG_LEVEL."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.support.platform import RunningPlatform, running_platform


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def platform(request: pytest.FixtureRequest, pg_admin_url: str, amqp_url: str, migrated_template,
                   tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningPlatform]:
    async with running_platform(pg_admin_url, amqp_url, migrated_template,
                                log_level=getattr(request.module, "PLATFORM_LOG_LEVEL", "WARNING"),
                                log_dir=tmp_path_factory.mktemp("platform-logs"),
                                extra_env=getattr(request.module, "PLATFORM_ENV", None)) as running:
        yield running
