"""A consumer takes what waits as one window in one transaction: a poison message in it fails alone, the others
take effect once, and nothing is acked before its commit."""
from __future__ import annotations

import asyncio
from collections import Counter

import aio_pika
from sqlalchemy import insert, select

from pfdo_events import Envelope
from pfdo_kit.bus.consumer import Consumer, PermanentError
from pfdo_kit.bus.names import ATTEMPT_HEADER, ERROR_HEADER
from tests.integration.kit.harness import ThingHappened, dead_letters, effects, record_effect
from tests.support.waiting import eventually

GATE = -1  # its handler waits, so that what is published behind it piles up into one window


def _envelope(n: int) -> Envelope:
    return Envelope.wrap(ThingHappened(n=n), district="test-district")


async def _publish(bus, *envelopes: Envelope) -> None:
    exchange = await bus.publisher.channel.get_exchange(bus.names.exchange)
    for envelope in envelopes:
        await exchange.publish(aio_pika.Message(body=envelope.model_dump_json().encode(), message_id=str(envelope.id)),
                               routing_key=ThingHappened.routing_key())


def _record_windows(consumer: Consumer) -> list[list[int]]:
    windows: list[list[int]] = []
    together = consumer._handle_together

    async def recording(work):
        windows.append([d.event.n for d in work])
        return await together(work)

    consumer._handle_together = recording
    return windows


async def _queue_depth(bus, queue: str) -> int:
    channel = await bus.publisher._connection.channel()
    try:
        return (await channel.declare_queue(queue, passive=True)).declaration_result.message_count
    finally:
        await channel.close()


async def _behind_the_gate(bus, consumer: Consumer, gate: asyncio.Event, calls: Counter,
                           envelopes: list[Envelope]) -> None:
    """The gate's delivery is being handled while `envelopes` arrive and wait; then the gate opens."""
    await _publish(bus, _envelope(GATE))

    async def gate_taken() -> bool:
        return calls[GATE] == 1

    await eventually(gate_taken, what="the gate's delivery")
    await _publish(bus, *envelopes)

    async def all_waiting() -> bool:
        return len(consumer._waiting) == len(envelopes)

    await eventually(all_waiting, what=f"{len(envelopes)} deliveries waiting behind the gate")
    gate.set()


async def _settled(consumer: Consumer) -> None:
    async def settled() -> bool:
        return consumer._idle.is_set()

    await eventually(settled, timeout_s=20, what="every delivery settled")


async def test_a_poison_message_in_the_middle_of_a_window_is_dead_lettered_alone_and_the_others_take_effect_once(bus):
    gate, calls = asyncio.Event(), Counter()

    async def poison_on_five(ctx, event):
        calls[event.n] += 1
        if event.n == GATE:
            await gate.wait()
        if event.n == 5:
            raise PermanentError("five cannot be handled")
        await record_effect(ctx, event)

    consumer = await bus.add_consumer(poison_on_five, prefetch=32)
    windows = _record_windows(consumer)
    await _behind_the_gate(bus, consumer, gate, calls, [_envelope(n) for n in range(10)])
    await _settled(consumer)
    assert windows[0] == list(range(10)), "the ten went into one window, the poison in its middle"
    assert await bus.effect_counts() == (10, 10), "the gate and the nine good ones, each once"
    assert calls[5] == 1, "the poison is dead-lettered at once, not tried again alone"
    assert all(calls[n] <= 2 for n in range(10)), "the window runs again once without the poison"
    dead = await dead_letters(bus, consumer.queue_name)
    assert [_n(m) for m in dead] == [5]
    assert "five cannot be handled" in dead[0].headers[ERROR_HEADER] and ATTEMPT_HEADER not in dead[0].headers
    await consumer.stop(grace_s=5)
    bus.consumers.remove(consumer)
    assert await _queue_depth(bus, consumer.queue_name) == 0, "every delivery was acked, none is redelivered"


async def test_a_failing_message_in_a_window_is_retried_alone_and_takes_effect_once(bus):
    gate, calls = asyncio.Event(), Counter()

    async def flaky_three(ctx, event):
        calls[event.n] += 1
        if event.n == GATE:
            await gate.wait()
        if event.n == 3 and calls[3] == 1:
            raise ConnectionError("transient")
        await record_effect(ctx, event)

    consumer = await bus.add_consumer(flaky_three, prefetch=32, retry_delays_ms=(100,))
    windows = _record_windows(consumer)
    await _behind_the_gate(bus, consumer, gate, calls, [_envelope(n) for n in range(6)])

    async def all_applied() -> bool:
        return await bus.effect_counts() == (7, 7)

    await eventually(all_applied, timeout_s=20, what="every event once, the flaky one after its retry")
    assert windows[0] == list(range(6))
    assert calls[3] == 2, "one failure in the window, one success after the retry queue's delay"
    await asyncio.sleep(0.5)
    assert await bus.effect_counts() == (7, 7)


async def test_two_copies_of_an_event_in_one_window_take_effect_once(bus):
    gate, calls = asyncio.Event(), Counter()

    async def gated(ctx, event):
        calls[event.n] += 1
        if event.n == GATE:
            await gate.wait()
        await record_effect(ctx, event)

    consumer = await bus.add_consumer(gated, prefetch=32)
    windows = _record_windows(consumer)
    twice = _envelope(1)
    await _behind_the_gate(bus, consumer, gate, calls, [_envelope(0), twice, _envelope(2), twice])
    await _settled(consumer)
    assert windows == [[0, 1, 2, 1]]
    assert await bus.effect_counts() == (4, 4)
    assert calls[1] == 1, "the second copy is a duplicate the inbox knew within the same transaction"


async def test_a_handler_savepoint_rolled_back_inside_a_window_undoes_only_its_own_statements(bus):
    gate, calls = asyncio.Event(), Counter()

    class Refused(Exception):
        pass

    async def with_savepoint(ctx, event):
        calls[event.n] += 1
        if event.n == GATE:
            await gate.wait()
        try:
            async with ctx.session.begin_nested():  # as the certificates' ledger does
                await ctx.session.execute(insert(effects).values(n=1000 + event.n, event_id=ctx.envelope.id))
                if event.n % 2:
                    raise Refused()
        except Refused:
            pass
        await record_effect(ctx, event)

    consumer = await bus.add_consumer(with_savepoint, prefetch=32)
    windows = _record_windows(consumer)
    await _behind_the_gate(bus, consumer, gate, calls, [_envelope(n) for n in range(4)])
    await _settled(consumer)
    assert windows == [[0, 1, 2, 3]]
    async with bus.engine.connect() as conn:
        ns = sorted((await conn.execute(select(effects.c.n))).scalars())
    assert ns == [GATE, 0, 1, 2, 3, 1000, 1002], "the odd ones' savepoints rolled back, nothing else"


def _n(message: aio_pika.abc.AbstractIncomingMessage) -> int:
    return Envelope.model_validate_json(message.body).payload["n"]
