"""Declaring the exchange, its alternate exchange, and a consumer's queue family.

A consumer's queue family is: the main quorum queue (explicit delivery limit, dead
letters to its DLQ), the DLQ, and one retry queue per backoff tier whose messages
expire back into the main queue after the tier's delay.
"""
from __future__ import annotations

from collections.abc import Sequence

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractExchange, AbstractQueue

from pfdo_kit.bus.names import BusNames

# Quorum queues dead-letter at-least-once only with reject-publish overflow.
_SAFE_DEAD_LETTERING = {"x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish"}


def _quorum(names: BusNames, **arguments: object) -> dict[str, object]:
    args: dict[str, object] = {"x-queue-type": "quorum", **arguments}
    if names.queue_expires_ms:
        args["x-expires"] = names.queue_expires_ms
    return args


async def declare_exchange(channel: AbstractChannel, names: BusNames) -> AbstractExchange:
    unroutable = await channel.declare_exchange(
        names.unroutable_exchange, aio_pika.ExchangeType.FANOUT, durable=True
    )
    parking = await channel.declare_queue(
        names.unroutable_queue, durable=True, arguments=_quorum(names)
    )
    await parking.bind(unroutable)
    return await channel.declare_exchange(
        names.exchange,
        aio_pika.ExchangeType.TOPIC,
        durable=True,
        arguments={"alternate-exchange": names.unroutable_exchange},
    )


async def declare_consumer_queues(
    channel: AbstractChannel,
    names: BusNames,
    exchange: AbstractExchange,
    queue: str,
    routing_keys: Sequence[str],
    delivery_limit: int,
    retry_delays_ms: Sequence[int],
) -> AbstractQueue:
    dlq = BusNames.dead_letter_queue(queue)
    await channel.declare_queue(dlq, durable=True, arguments=_quorum(names))
    for tier, delay in enumerate(retry_delays_ms):
        await channel.declare_queue(
            BusNames.retry_queue(queue, tier),
            durable=True,
            arguments=_quorum(
                names,
                **{"x-message-ttl": int(delay), "x-dead-letter-exchange": "", "x-dead-letter-routing-key": queue},
                **_SAFE_DEAD_LETTERING,
            ),
        )
    main = await channel.declare_queue(
        queue,
        durable=True,
        arguments=_quorum(
            names,
            **{"x-delivery-limit": int(delivery_limit), "x-dead-letter-exchange": "", "x-dead-letter-routing-key": dlq},
            **_SAFE_DEAD_LETTERING,
        ),
    )
    for key in routing_keys:
        await main.bind(exchange, routing_key=key)
    return main

