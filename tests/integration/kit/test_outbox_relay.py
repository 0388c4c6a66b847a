"""The outbox: only committed events leave, and a relay crash cannot double an effect."""
from __future__ import annotations

import asyncio

from sqlalchemy import event, func, select, text

from pfdo_kit.metrics import BUS_MESSAGES
from pfdo_kit.relay import OutboxRelay
from tests.integration.kit.harness import ThingHappened, effects, messaging
from tests.support.waiting import eventually


async def test_rolled_back_event_is_never_published(bus):
    await bus.add_consumer()
    async with bus.sessions() as session:
        async with session.begin():
            await bus.outbox.add(session, ThingHappened(n=1))
            await session.rollback()
    await bus.emit(2)
    bus.run_in_background(bus.relay())

    async def second_arrived() -> bool:
        return (await bus.effect_counts())[0] >= 1

    await eventually(second_arrived, what="the committed event's effect")
    await bus.emit(3)  # a later event also passes, so nothing is stuck behind n=1

    async def third_arrived() -> bool:
        return (await bus.effect_counts())[0] >= 2

    await eventually(third_arrived, what="the next event's effect")
    async with bus.engine.connect() as conn:
        ns = sorted(r.n for r in await conn.execute(select(effects.c.n)))
        outbox_rows = (await conn.execute(select(func.count()).select_from(messaging.outbox))).scalar_one()
    assert ns == [2, 3]
    assert outbox_rows == 2


class CrashAfterPublish(OutboxRelay):
    """Publishes and gets every confirm, then dies before its marks of the rows as sent commit."""

    async def _publish(self, rows):
        await super()._publish(rows)
        raise RuntimeError("relay killed between publish and mark-sent")


async def test_relay_crash_after_publish_republishes_and_effect_happens_once(bus):
    consumer = await bus.add_consumer()
    duplicates = BUS_MESSAGES.labels(consumer.spec.name, "duplicate")
    duplicates_before = duplicates._value.get()
    await bus.emit(*range(5))

    crashing = bus.relay(CrashAfterPublish)
    try:
        await crashing.publish_batch()
        raise AssertionError("the crashing relay should have failed")
    except RuntimeError:
        pass
    assert await bus.unsent() == 5, "rows must stay unsent when the relay died before marking them"

    async def first_copies_applied() -> bool:
        return (await bus.effect_counts())[0] == 5

    await eventually(first_copies_applied, what="effects of the first publication")

    assert await bus.relay().publish_batch() == 5  # the restarted relay publishes them again
    assert await bus.unsent() == 0

    async def second_copies_seen() -> bool:
        return duplicates._value.get() - duplicates_before >= 5

    await eventually(second_copies_seen, what="redelivered copies reaching the consumer")
    assert await bus.effect_counts() == (5, 5)


async def test_relay_wakes_on_notify_and_publishes_many_in_flight(bus):
    await bus.add_consumer()
    relay = bus.relay(batch_size=100)
    relay._poll = 3600  # only NOTIFY can wake it now
    bus.run_in_background(relay)

    async def listening() -> bool:
        return relay._listener is not None

    await eventually(listening, what="the relay's LISTEN")
    await bus.emit(*range(250))

    async def all_applied() -> bool:
        return (await bus.effect_counts()) == (250, 250)

    await eventually(all_applied, timeout_s=30, what="250 events through a relay woken by NOTIFY")
    assert await bus.unsent() == 0


async def test_an_event_committed_while_a_batch_is_in_flight_wakes_the_relay_again(bus):
    await bus.add_consumer()
    emitted: list[int] = []

    class EmitsDuringItsBatch(OutboxRelay):
        async def _publish(self, rows):
            await super()._publish(rows)
            if not emitted:
                emitted.append(2)
                await bus.emit(2)  # another transaction commits; its NOTIFY arrives mid-batch

                async def notified() -> bool:
                    return self._wake.is_set()

                await eventually(notified, timeout_s=10, what="the second event's NOTIFY")

    await bus.emit(1)
    relay = bus.relay(EmitsDuringItsBatch)
    relay._poll = 3600  # only NOTIFY can wake it
    bus.run_in_background(relay)

    async def both_applied() -> bool:
        return await bus.effect_counts() == (2, 2)

    await eventually(both_applied, timeout_s=15, what="the event committed during the first batch")

    async def all_marked_sent() -> bool:  # the consumer may apply it before the relay's mark commits
        return await bus.unsent() == 0

    await eventually(all_marked_sent, timeout_s=5, what="both rows marked sent")


async def test_the_poll_finds_events_no_notify_announced_without_taking_a_pooled_connection(bus):
    await bus.add_consumer()
    async with bus.engine.begin() as conn:  # as behind a transaction pooler: no NOTIFY reaches the relay
        await conn.execute(text("ALTER TABLE outbox DISABLE TRIGGER outbox_notify"))
    relay = bus.relay()  # polls every 0.2 s
    bus.run_in_background(relay)

    async def listening() -> bool:
        return relay._listener is not None

    await eventually(listening, what="the relay's LISTEN")
    await asyncio.sleep(0.3)  # its first pass, which takes a connection for the batch
    checkouts: list[object] = []

    def count(*args: object) -> None:
        checkouts.append(args)

    event.listen(bus.engine.sync_engine, "checkout", count)
    await asyncio.sleep(1.0)  # about five polls of an empty outbox
    event.remove(bus.engine.sync_engine, "checkout", count)
    assert checkouts == [], "an idle poll asks on the LISTEN connection, not through the pool"

    await bus.emit(7)

    async def applied() -> bool:
        return await bus.effect_counts() == (1, 1)

    await eventually(applied, timeout_s=10, what="the event the poll found")
