"""The exchange keeps what nobody is bound to; queues carry their limits."""
from __future__ import annotations

import uuid

import aio_pika

from pfdo_kit.bus.names import BusNames


async def test_unroutable_message_is_parked_not_lost(bus):
    exchange = await bus.publisher.channel.get_exchange(bus.names.exchange)
    body = b'{"nobody": "listens"}'
    await exchange.publish(aio_pika.Message(body=body, message_id=str(uuid.uuid4())), routing_key="nobody.listens.v1")
    channel = await bus.publisher._connection.channel()
    parked = await channel.get_queue(bus.names.unroutable_queue)
    msg = await parked.get(timeout=5)
    await msg.ack()
    assert msg.body == body and msg.routing_key == "nobody.listens.v1"
    await channel.close()


async def test_consumer_queue_redeclared_with_other_limits_is_refused(bus, amqp_url):
    """The main queue exists with its delivery limit and dead-letter route (a redeclare
    with different arguments is refused by the broker, which proves what it holds)."""
    consumer = await bus.add_consumer(delivery_limit=7)
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        same = {"x-queue-type": "quorum", "x-delivery-limit": 7, "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": BusNames.dead_letter_queue(consumer.queue_name),
                "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish",
                "x-expires": bus.names.queue_expires_ms}
        await channel.declare_queue(consumer.queue_name, durable=True, arguments=same)
        try:
            await channel.declare_queue(consumer.queue_name, durable=True, arguments={**same, "x-delivery-limit": 99})
            raise AssertionError("a different delivery limit should have been refused")
        except aio_pika.exceptions.ChannelPreconditionFailed:
            pass
