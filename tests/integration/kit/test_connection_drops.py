"""The broker drops every connection mid-stream: all events still take effect exactly once."""
from __future__ import annotations

import asyncio

from tests.support.waiting import eventually


async def test_thousand_events_survive_broker_dropping_all_connections(bus, infra):
    consumer = await bus.add_consumer(prefetch=50)
    relay = bus.relay(batch_size=100)
    bus.run_in_background(relay)
    publisher_before = bus.publisher

    async def produce() -> None:
        for start in range(0, 1000, 50):
            await bus.emit(*range(start, start + 50))
            await asyncio.sleep(0.02)

    producing = asyncio.create_task(produce())

    async def some_applied() -> bool:
        return (await bus.effect_counts())[0] >= 200

    await eventually(some_applied, timeout_s=60, what="the first 200 effects")
    await asyncio.to_thread(infra.close_all_broker_connections)
    await producing

    async def all_applied() -> bool:
        return (await bus.effect_counts())[1] == 1000 and await bus.unsent() == 0

    await eventually(all_applied, timeout_s=120, interval_s=0.5, what="all 1000 effects after the drop")
    await asyncio.sleep(1.0)  # late redeliveries would show up as extra rows
    assert await bus.effect_counts() == (1000, 1000)
    # Same objects, no restart: robust connections came back by themselves.
    assert bus.publisher is publisher_before and consumer in bus.consumers
    assert bus.reconnects >= 2, "both the publishing and the consuming connection were dropped and came back"
