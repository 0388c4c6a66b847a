"""This machine's raw RabbitMQ limit for the platform's kind of traffic: persistent ~600-byte
messages into a quorum queue (as every consumer queue is), published with confirms (1 000 in
flight), then consumed with manual acks (prefetch as the services use)."""
from __future__ import annotations

import asyncio
import time
import uuid

import aio_pika

BODY = b'{"event":"bench","payload":"' + b"x" * 560 + b'"}'


async def publish_and_consume(amqp_url: str, messages: int = 20_000, in_flight: int = 1_000,
                              prefetch: int = 32) -> dict[str, float]:
    connection = await aio_pika.connect(amqp_url)
    queue_name = f"bench.raw.{uuid.uuid4().hex[:8]}"
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        queue = await channel.declare_queue(queue_name, durable=True, arguments={"x-queue-type": "quorum"})
        try:
            started = time.perf_counter()
            for first in range(0, messages, in_flight):
                await asyncio.gather(*(channel.default_exchange.publish(
                    aio_pika.Message(BODY, delivery_mode=aio_pika.DeliveryMode.PERSISTENT, message_id=str(i)),
                    routing_key=queue_name) for i in range(first, min(messages, first + in_flight))))
            published_s = time.perf_counter() - started

            consumer_channel = await connection.channel()
            await consumer_channel.set_qos(prefetch_count=prefetch)
            done, seen = asyncio.Event(), 0

            async def on_message(message: aio_pika.abc.AbstractIncomingMessage) -> None:
                nonlocal seen
                await message.ack()
                seen += 1
                if seen == messages:
                    done.set()

            started = time.perf_counter()
            own_queue = await consumer_channel.get_queue(queue_name)
            tag = await own_queue.consume(on_message)
            await asyncio.wait_for(done.wait(), 120)
            await own_queue.cancel(tag)
            consumed_s = time.perf_counter() - started
        finally:
            await channel.queue_delete(queue_name)
    return {"publish_confirmed_per_s": messages / published_s, "consume_acked_per_s": messages / consumed_s}
