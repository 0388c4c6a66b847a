"""A minimal service wired from the kit, for testing the bus against real servers."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence

import aio_pika
from sqlalchemy import Column, Integer, MetaData, Table, Text, func, insert, select
from sqlalchemy.dialects.postgresql import UUID

from pfdo_events import Event
from pfdo_kit.bus.connection import connect
from pfdo_kit.bus.consumer import Consumer, ConsumerSpec, Handler, HandlerContext
from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.publisher import Publisher
from pfdo_kit.db import make_engine, make_sessions
from pfdo_kit.messaging_tables import messaging_tables
from pfdo_kit.outbox import Outbox
from pfdo_kit.relay import OutboxRelay

metadata = MetaData()
messaging = messaging_tables(metadata)
# No unique constraint on purpose: a doubled effect must show up as two rows.
effects = Table(
    "effects", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("n", Integer, nullable=False),
    Column("event_id", UUID(as_uuid=True), nullable=False),
    Column("note", Text),
)


class ThingHappened(Event):
    event_type = "test.thing.happened"
    event_version = 1

    n: int


async def record_effect(ctx: HandlerContext, event: ThingHappened) -> None:
    await ctx.session.execute(insert(effects).values(n=event.n, event_id=ctx.envelope.id))


class BusHarness:
    def __init__(self, database_url: str, amqp_url: str, names: BusNames) -> None:
        self.amqp_url, self.names = amqp_url, names
        self.engine = make_engine(database_url, pool_size=5, max_overflow=5)
        self.sessions = make_sessions(self.engine)
        self.outbox = Outbox(messaging.outbox, "test-district")
        self.publisher: Publisher | None = None
        self.consumers: list[Consumer] = []
        self._connections = []
        self.reconnects = 0
        self._tasks: list[asyncio.Task] = []

    async def start(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        publishing = await self._connect("test-publish")
        self.publisher = Publisher(publishing, self.names)
        await self.publisher.start()

    async def add_consumer(self, handler: Handler = record_effect, *, purpose: str = "things",
                           retry_delays_ms: Sequence[int] = (100, 300), prefetch: int = 16,
                           delivery_limit: int = 10) -> Consumer:
        consuming = await self._connect(f"test-consume-{purpose}")
        consumer = Consumer(
            ConsumerSpec("testsvc", purpose, {ThingHappened: handler}), names=self.names,
            sessions=self.sessions, inbox=messaging.inbox, outbox=self.outbox, publisher=self.publisher,
            prefetch=prefetch, delivery_limit=delivery_limit, retry_delays_ms=retry_delays_ms,
        )
        await consumer.start(consuming)
        self.consumers.append(consumer)
        return consumer

    async def _connect(self, name: str):
        connection = await connect(self.amqp_url, name)
        connection.reconnect_callbacks.add(self._count_reconnect)
        self._connections.append(connection)
        return connection

    def _count_reconnect(self, *_: object) -> None:
        self.reconnects += 1

    def relay(self, relay_cls: type[OutboxRelay] = OutboxRelay, **kwargs) -> OutboxRelay:
        return relay_cls(self.engine, messaging.outbox, self.publisher, poll_interval_s=0.2, **kwargs)

    def run_in_background(self, relay: OutboxRelay) -> asyncio.Task:
        task = asyncio.create_task(relay.run())
        self._tasks.append(task)
        return task

    async def emit(self, *ns: int) -> None:
        async with self.sessions() as session, session.begin():
            for n in ns:
                await self.outbox.add(session, ThingHappened(n=n))

    async def effect_counts(self) -> tuple[int, int]:
        """(rows, distinct n) in the effects table."""
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(func.count(), func.count(effects.c.n.distinct())))).one()
        return row[0], row[1]

    async def unsent(self) -> int:
        async with self.engine.connect() as conn:
            return (await conn.execute(
                select(func.count()).select_from(messaging.outbox).where(messaging.outbox.c.sent_at.is_(None))
            )).scalar_one()

    async def stop(self) -> None:
        for task in self._tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for consumer in self.consumers:
            await consumer.stop(5)
        for connection in self._connections:
            await connection.close()
        await self.engine.dispose()


async def dead_letters(bus, queue: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Every message in `queue`'s dead-letter queue, taken off it."""
    channel = await bus.publisher._connection.channel()
    dlq = await channel.get_queue(BusNames.dead_letter_queue(queue))
    out = []
    while (msg := await dlq.get(fail=False, timeout=1)) is not None:
        await msg.ack()
        out.append(msg)
    await channel.close()
    return out
