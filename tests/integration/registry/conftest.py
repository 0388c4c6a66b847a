from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import aio_pika
import httpx
import pytest_asyncio
from fastapi import FastAPI

from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.topology import declare_exchange
from services.registry.app import create_app
from services.registry.settings import RegistrySettings
from tests.support.tokens import TokenMint


@pytest_asyncio.fixture(loop_scope="session")
async def registry_template(migrated_template) -> str:
    return await migrated_template("services.registry")


@dataclass
class EventTap:
    """A queue bound to the test exchange that records every event published."""

    queue: aio_pika.abc.AbstractQueue

    async def drain(self, wait_s: float = 0.5) -> list[dict]:
        out = []
        while True:
            msg = await self.queue.get(fail=False, timeout=wait_s)
            if msg is None:
                return out
            await msg.ack()
            out.append({"routing_key": msg.routing_key, "message_id": msg.message_id, **json.loads(msg.body)})


@dataclass
class Registry:
    client: httpx.AsyncClient
    app: FastAPI
    settings: RegistrySettings
    database_url: str
    tokens: TokenMint
    events: EventTap


@pytest_asyncio.fixture(loop_scope="session")
async def registry(fresh_database, registry_template: str, amqp_url: str, bus_names: BusNames,
                   token_mint: TokenMint) -> AsyncIterator[Registry]:
    url = await fresh_database(template=registry_template)
    settings = RegistrySettings(
        database_url=url, amqp_url=amqp_url, district="test-district", bus_exchange=bus_names.exchange,
        bus_queue_prefix=bus_names.queue_prefix, bus_queue_expires_ms=bus_names.queue_expires_ms,
        jwt_public_keys=[token_mint.public_pem], outbox_poll_interval_s=0.2, log_json=False,
    )
    tap_connection = await aio_pika.connect(amqp_url)
    channel = await tap_connection.channel()
    exchange = await declare_exchange(channel, bus_names)
    tap_queue = await channel.declare_queue(exclusive=True)
    await tap_queue.bind(exchange, "registry.#")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            yield Registry(client, app, settings, url, token_mint, EventTap(tap_queue))
    await tap_connection.close()
