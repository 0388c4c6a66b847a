"""The whole platform as separate processes on loopback: its own databases (fresh), its own
bus names, free ports. One platform per test module."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio
from playwright.async_api import async_playwright

from tests.support.browser import launch_options
from tests.support.platform import RunningPlatform, running_platform


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def platform(pg_admin_url: str, amqp_url: str, migrated_template) -> AsyncIterator[RunningPlatform]:
    async with running_platform(pg_admin_url, amqp_url, migrated_template) as running:
        yield running


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser():
    """Debian's Chromium for the module's browser journeys."""
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(**launch_options())
        yield chromium
        await chromium.close()
