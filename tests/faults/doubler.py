"""A harness that delivers every event of the platform twice: a queue of its own bound to the
platform's exchange takes a copy of each event and publishes it again, same message id and
body, marked so that the copy is not copied again."""
from __future__ import annotations

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

COPY_HEADER = "x-test-copy"


class Doubler:
    def __init__(self, amqp_url: str, exchange: str) -> None:
        self.amqp_url, self.exchange_name = amqp_url, exchange
        self.copied = 0

    async def __aenter__(self) -> "Doubler":
        self.connection = await aio_pika.connect_robust(self.amqp_url)
        channel = await self.connection.channel(publisher_confirms=True)
        self.exchange = await channel.get_exchange(self.exchange_name)
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(self.exchange, "#")
        await queue.consume(self._copy)
        return self

    async def _copy(self, message: AbstractIncomingMessage) -> None:
        headers = dict(message.headers or {})
        if not headers.get(COPY_HEADER):
            await self.exchange.publish(aio_pika.Message(
                message.body, headers={**headers, COPY_HEADER: True}, message_id=message.message_id,
                content_type=message.content_type, type=message.type, delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                timestamp=message.timestamp), routing_key=message.routing_key)
            self.copied += 1
        await message.ack()

    async def __aexit__(self, *exc) -> None:
        await self.connection.close()
