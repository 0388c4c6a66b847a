"""Fixtures for real PostgreSQL and RabbitMQ. Unit tests use none of them."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import pytest
import pytest_asyncio

from pfdo_kit.bus.names import BusNames
from pfdo_kit.migrations import upgrade
from tests.support import infrastructure
from tests.support.databases import create_database, database_url, drop_database
from tests.support.tokens import TokenMint


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def infra() -> AsyncIterator[infrastructure.Infrastructure]:
    found = infrastructure.start()
    try:
        await infrastructure.check(found)
    except RuntimeError as exc:
        found.stop()
        pytest.fail(str(exc), pytrace=False)
    yield found
    found.stop()


@pytest.fixture(scope="session")
def pg_admin_url(infra: infrastructure.Infrastructure) -> str:
    return infra.pg_url


@pytest.fixture(scope="session")
def amqp_url(infra: infrastructure.Infrastructure) -> str:
    return infra.amqp_url


@pytest.fixture(scope="session")
def redis_url(infra: infrastructure.Infrastructure) -> str:
    return infra.redis_url


@pytest.fixture(scope="session")
def token_mint() -> TokenMint:
    return TokenMint()


@pytest_asyncio.fixture(loop_scope="session")
async def fresh_database(pg_admin_url: str) -> AsyncIterator[Callable[..., Awaitable[str]]]:
    """Factory: `url = await fresh_database(template=None)`; every database is dropped after the test."""
    made: list[str] = []

    async def make(template: str | None = None) -> str:
        name = await create_database(pg_admin_url, template)
        made.append(name)
        return database_url(pg_admin_url, name)

    yield make
    for name in made:
        await drop_database(pg_admin_url, name)


@pytest_asyncio.fixture(loop_scope="session")
async def bus_names(amqp_url: str) -> AsyncIterator[BusNames]:
    """Exchange and queue names no other test uses; queues expire a minute after the test."""
    uid = uuid.uuid4().hex[:10]
    names = BusNames(exchange=f"test.{uid}.events", queue_prefix=f"test.{uid}", queue_expires_ms=60_000)
    yield names
    from tests.support.service_app import DECLARED_QUEUES

    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in sorted(DECLARED_QUEUES.pop(names.queue_prefix, ())):
            await channel.queue_delete(queue)
        await channel.exchange_delete(names.exchange)
        await channel.exchange_delete(names.unroutable_exchange)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def migrated_template(pg_admin_url: str) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """`name = await migrated_template("services.registry")`: that service's migrations applied
    once per run to a template database that tests clone."""
    made: dict[str, str] = {}

    async def template(package: str) -> str:
        if package not in made:
            name = await create_database(pg_admin_url, prefix="tpl_" + package.rsplit(".", 1)[-1])
            await asyncio.to_thread(upgrade, package, database_url(pg_admin_url, name))
            made[package] = name
        return made[package]

    yield template
    for name in made.values():
        await drop_database(pg_admin_url, name)
