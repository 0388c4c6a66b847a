"""Publishing with publisher confirms, many messages in flight at once."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractRobustConnection

from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.topology import declare_exchange


@dataclass(frozen=True)
class Outgoing:
    routing_key: str
    body: bytes
    message_id: str
    correlation_id: str | None = None
    headers: dict[str, object] = field(default_factory=dict)


def to_message(out: Outgoing) -> aio_pika.Message:
    return aio_pika.Message(
        body=out.body,
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=out.message_id,
        correlation_id=out.correlation_id,
        type=out.routing_key,
        timestamp=datetime.now(UTC),
        headers=out.headers or None,
    )


class Publisher:
    def __init__(self, connection: AbstractRobustConnection, names: BusNames, confirm_timeout_s: float = 15.0):
        self._connection = connection
        self._names = names
        self._timeout = confirm_timeout_s
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None

    async def start(self) -> None:
        self._channel = await self._connection.channel(publisher_confirms=True)
        self._exchange = await declare_exchange(self._channel, self._names)

    @property
    def channel(self) -> AbstractChannel:
        assert self._channel is not None, "publisher not started"
        return self._channel

    async def publish_many(self, messages: Sequence[Outgoing]) -> None:
        """Return only when the broker confirmed every message; raise if any was not."""
        assert self._exchange is not None, "publisher not started"
        await asyncio.gather(
            *(
                self._exchange.publish(to_message(m), routing_key=m.routing_key, timeout=self._timeout)
                for m in messages
            )
        )

    async def send_to_queue(self, queue: str, message: aio_pika.Message) -> None:
        """Straight into a named queue through the default exchange (retries, dead letters)."""
        await self.channel.default_exchange.publish(message, routing_key=queue, timeout=self._timeout)

    async def close(self) -> None:
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()
