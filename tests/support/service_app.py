"""Run a service's FastAPI app in-process (lifespan included) against the test servers."""
from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

import aio_pika
import httpx
from fastapi import FastAPI

from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.topology import declare_exchange
from pfdo_kit.settings import ServiceSettings
from tests.support.municipalities import TEST_MUNICIPALITIES
from tests.support.tokens import TokenMint


def test_settings(cls: type[ServiceSettings], database_url: str, amqp_url: str, names: BusNames,
                  tokens: TokenMint, **overrides: object) -> ServiceSettings:
    return cls(**{
        "database_url": database_url, "amqp_url": amqp_url, "district": "test-district",
        "municipalities": TEST_MUNICIPALITIES, "bus_exchange": names.exchange,
        "bus_queue_prefix": names.queue_prefix, "bus_queue_expires_ms": names.queue_expires_ms,
        "jwt_public_keys": [tokens.public_pem], "outbox_poll_interval_s": 0.2, "log_json": False,
        "bus_retry_delays_ms": [100, 300], **overrides,
    })


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
class RunningService:
    client: httpx.AsyncClient
    app: FastAPI
    settings: ServiceSettings
    database_url: str
    tokens: TokenMint
    events: EventTap


async def publish(amqp_url: str, names: BusNames, *envelopes) -> None:
    """Put events on the bus as another service's relay would (with confirms)."""
    from pfdo_kit.bus.publisher import Outgoing, Publisher

    connection = await aio_pika.connect(amqp_url)
    async with connection:
        publisher = Publisher(connection, names)
        await publisher.start()
        await publisher.publish_many([
            Outgoing(routing_key=e.routing_key, body=e.model_dump_json().encode(), message_id=str(e.id))
            for e in envelopes
        ])


@asynccontextmanager
async def running_service(create_app: Callable[[ServiceSettings], FastAPI], settings: ServiceSettings,
                          tokens: TokenMint, names: BusNames, tap_pattern: str) -> AsyncIterator[RunningService]:
    tap_connection = await aio_pika.connect(settings.amqp_url)
    try:
        channel = await tap_connection.channel()
        exchange = await declare_exchange(channel, names)
        tap_queue = await channel.declare_queue(exclusive=True)
        await tap_queue.bind(exchange, tap_pattern)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            tiers = len(settings.bus_retry_delays_ms)
            DECLARED_QUEUES.setdefault(names.queue_prefix, set()).update(
                name for c in app.state.runtime.consumers for name in (
                    c.queue_name, BusNames.dead_letter_queue(c.queue_name),
                    *(BusNames.retry_queue(c.queue_name, tier) for tier in range(tiers))))
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as client:
                yield RunningService(client, app, settings, settings.database_url, tokens, EventTap(tap_queue))
    finally:
        await tap_connection.close()


# Quorum queues the test's services declared, by queue prefix: the bus_names fixture deletes them
# when the test ends (a restarted service within the test must find its queues). Left to expire,
# dozens expiring at once stalled the broker: later tests' publisher confirms waited ~35 s.
DECLARED_QUEUES: dict[str, set[str]] = {}
