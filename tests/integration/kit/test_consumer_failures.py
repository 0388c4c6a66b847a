"""Consumers: poison goes to the dead-letter queue, transient failures retry with backoff."""
from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections import defaultdict

import aio_pika

from pfdo_events import Envelope
from pfdo_kit.bus.names import ATTEMPT_HEADER, ERROR_HEADER
from tests.integration.kit.harness import ThingHappened, dead_letters, record_effect
from tests.support.waiting import eventually


async def _raw_publish(bus, body: bytes, routing_key: str = ThingHappened.routing_key()) -> None:
    await bus.publisher.channel.get_exchange(bus.names.exchange, ensure=False)
    exchange = await bus.publisher.channel.get_exchange(bus.names.exchange)
    await exchange.publish(aio_pika.Message(body=body, message_id=str(uuid.uuid4())), routing_key=routing_key)


def _body(n: int) -> bytes:
    return Envelope.wrap(ThingHappened(n=n), district="test-district").model_dump_json().encode()


async def test_undecodable_messages_go_straight_to_dead_letters_and_consuming_goes_on(bus):
    consumer = await bus.add_consumer()
    poison = [
        b"{not json",
        json.dumps({"id": str(uuid.uuid4()), "type": "test.thing.happened", "version": 1}).encode(),  # no payload
        Envelope(type="test.thing.happened", version=7, district="d", correlation_id=uuid.uuid4(),
                 payload={"n": 1}).model_dump_json().encode(),  # unknown version
        Envelope(type="test.thing.happened", version=1, district="d", correlation_id=uuid.uuid4(),
                 payload={"n": "many"}).model_dump_json().encode(),  # bad field
    ]
    for body in poison:
        await _raw_publish(bus, body)
    for n in range(20):
        await _raw_publish(bus, _body(n))

    async def good_ones_applied() -> bool:
        return (await bus.effect_counts()) == (20, 20)

    await eventually(good_ones_applied, what="the messages behind the poison")
    dead = await dead_letters(bus, consumer.queue_name)
    assert sorted(m.body for m in dead) == sorted(poison)
    assert all(ERROR_HEADER in m.headers and ATTEMPT_HEADER not in m.headers for m in dead), \
        "invalid messages are not retried"


async def test_handler_that_always_fails_is_dead_lettered_after_its_retries(bus):
    async def fail_on_minus_one(ctx, event):
        if event.n == -1:
            raise RuntimeError("downstream is broken for this one")
        await record_effect(ctx, event)

    consumer = await bus.add_consumer(fail_on_minus_one, retry_delays_ms=(50, 100, 150))
    await _raw_publish(bus, _body(-1))
    for n in range(10):
        await _raw_publish(bus, _body(n))

    async def dead_lettered() -> bool:
        dead.extend(await dead_letters(bus, consumer.queue_name))
        return len(dead) == 1

    dead: list = []
    await eventually(dead_lettered, timeout_s=20, interval_s=0.3, what="the failing message in the DLQ")
    assert dead[0].headers[ATTEMPT_HEADER] == 3
    assert "downstream is broken" in dead[0].headers[ERROR_HEADER]
    assert await bus.effect_counts() == (10, 10)


async def test_handler_failing_twice_is_retried_with_backoff_and_takes_effect_once(bus):
    delays_ms = (200, 400)
    attempts: dict[int, list[float]] = defaultdict(list)

    async def flaky(ctx, event):
        attempts[event.n].append(time.monotonic())
        if len(attempts[event.n]) <= 2:
            raise ConnectionError("transient")
        await record_effect(ctx, event)

    await bus.add_consumer(flaky, retry_delays_ms=delays_ms)
    await bus.emit(1, 2, 3)
    bus.run_in_background(bus.relay())

    async def all_applied() -> bool:
        return (await bus.effect_counts()) == (3, 3)

    await eventually(all_applied, timeout_s=20, what="three flaky events taking effect")
    await asyncio.sleep(0.5)  # nothing more arrives later
    assert await bus.effect_counts() == (3, 3)
    for n in (1, 2, 3):
        first, second, third = attempts[n]
        # Each retry waits in its tier's queue at least that tier's delay (TTL): backoff, not a hot loop.
        assert second - first >= delays_ms[0] / 1000 * 0.9
        assert third - second >= delays_ms[1] / 1000 * 0.9


async def test_graceful_stop_finishes_in_flight_handlers(bus):
    started = asyncio.Event()

    async def slow(ctx, event):
        started.set()
        await asyncio.sleep(0.5)
        await record_effect(ctx, event)

    consumer = await bus.add_consumer(slow, prefetch=1)
    await bus.emit(1)
    bus.run_in_background(bus.relay())
    await asyncio.wait_for(started.wait(), 10)
    await consumer.stop(grace_s=5)
    bus.consumers.remove(consumer)
    assert await bus.effect_counts() == (1, 1)

    # It was acked after commit: a new consumer on the same queue gets nothing to redo.
    await bus.add_consumer()
    await asyncio.sleep(1.0)
    assert await bus.effect_counts() == (1, 1)
