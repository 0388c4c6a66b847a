"""The kit's own overhead, in-process against the real PostgreSQL and RabbitMQ: what a transaction,
a consumed message and an idle outbox relay cost, before any service's work.

    python -m bench.kit_ops [--transactions 2000 --messages 2000 --batches 1000 --idle-s 10 --prefetch 32]
    (0: that part skipped)

- transaction: a pooled session, BEGIN, one INSERT, COMMIT (what every flow and handler pays around its
  statements); again with the INSERT precompiled (pfdo_kit.precompiled, as the hot paths send theirs); client CPU (time.process_time), the PostgreSQL backends' CPU (/proc of the engine's own
  backends) and the round trips the client sent (statements counted by SQLAlchemy plus the pool's
  checkouts, which is where a pre-ping goes);
- message: N events already waiting in a consumer's queue, drained by the kit's Consumer with a handler that
  inserts one row and stages one follow-up event (the shape of the services' saga handlers): per message,
  each in a transaction of its own (batch_max 1) and a window at a time (batch_max = prefetch);
- relay batch: events staged, then published one batch of one at a time (a relay woken by each commit);
- idle relay: an OutboxRelay with nothing to send, for a few seconds at the poll interval the rush uses (0.2 s)
  and at the default (2 s): CPU per second, client and backend.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import asyncpg
from sqlalchemy import Column, Integer, MetaData, Table, bindparam, event, func, insert, select
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.databases import AMQP, PG
from pfdo_events import Envelope, Event
from pfdo_kit.bus.connection import connect
from pfdo_kit.bus.consumer import Consumer, ConsumerSpec, HandlerContext
from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.publisher import Outgoing, Publisher
from pfdo_kit.db import asyncpg_dsn, make_engine, make_sessions
from pfdo_kit.messaging_tables import messaging_tables
from pfdo_kit.outbox import Outbox
from pfdo_kit.precompiled import Precompiled
from pfdo_kit.relay import OutboxRelay

TICK = 100  # SC_CLK_TCK on Linux

metadata = MetaData()
messaging = messaging_tables(metadata)
effects = Table("effects", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
                Column("n", Integer, nullable=False), Column("event_id", UUID(as_uuid=True), nullable=False))


class KitPing(Event):
    event_type = "bench.kit.ping"
    event_version = 1

    n: int


class KitPong(Event):
    event_type = "bench.kit.pong"
    event_version = 1

    n: int


async def handle_ping(ctx: HandlerContext, ping: KitPing) -> None:
    await ctx.session.execute(insert(effects).values(n=ping.n, event_id=ctx.envelope.id))
    await ctx.emit(KitPong(n=ping.n))


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


class Meter:
    """Client CPU, the engine's backends' CPU, statements and checkouts over a stretch of work."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.backends: set[int] = set()
        self.statements = self.checkouts = 0

        @event.listens_for(engine.sync_engine, "connect")
        def backend(dbapi_connection, _record) -> None:
            self.backends.add(dbapi_connection._connection.get_server_pid())

        @event.listens_for(engine.sync_engine, "before_cursor_execute")
        def statement(*_args) -> None:
            self.statements += 1

        @event.listens_for(engine.sync_engine, "checkout")
        def checkout(*_args) -> None:
            self.checkouts += 1

    def _read(self, extra_pids: set[int]) -> tuple[float, float, int, int, float]:
        server = sum(_cpu_s(p) for p in self.backends | extra_pids)
        return time.process_time(), server, self.statements, self.checkouts, time.perf_counter()

    async def measure(self, work: Callable[[], Awaitable[int]], extra_pids: Callable[[], set[int]] = set) -> dict:
        await asyncio.sleep(0.05)
        before = self._read(extra_pids())
        count = await work()
        after = self._read(extra_pids())
        client, server, statements, checkouts, wall = (a - b for a, b in zip(after, before, strict=True))
        return {"count": count, "client_cpu_us": round(client / count * 1e6),
                "server_cpu_us": round(server / count * 1e6),
                "statements": round(statements / count, 2), "checkouts": round(checkouts / count, 2),
                "per_s": round(count / wall, 1)}


def _names() -> BusNames:
    uid = uuid.uuid4().hex[:8]
    return BusNames(f"bench.{uid}.events", f"bench.{uid}", 60_000)  # its queues expire a minute after use


async def _forget(connection, names: BusNames) -> None:
    channel = await connection.channel()
    await channel.exchange_delete(names.exchange)
    await channel.exchange_delete(names.unroutable_exchange)
    await channel.close()


# The same INSERT compiled once and sent straight to asyncpg (pfdo_kit.precompiled), as the hot paths send theirs.
_EFFECT = Precompiled(insert(effects).values(n=bindparam("the_n", type_=Integer),
                                             event_id=bindparam("the_event_id", type_=effects.c.event_id.type)))


async def transactions(engine: AsyncEngine, meter: Meter, n: int, precompiled: bool = False) -> dict:
    sessions = make_sessions(engine)

    async def work() -> int:
        for i in range(n):
            async with sessions() as session, session.begin():
                if precompiled:
                    await _EFFECT.run(session, the_n=i, the_event_id=uuid.uuid4())
                else:
                    await session.execute(insert(effects).values(n=i, event_id=uuid.uuid4()))
        return n
    return await meter.measure(work)


async def messages(engine: AsyncEngine, meter: Meter, n: int, prefetch: int, batch_max: int) -> dict:
    names = _names()
    publishing, consuming = await connect(AMQP, "kit-ops-publish"), await connect(AMQP, "kit-ops-consume")
    try:
        publisher = Publisher(publishing, names)
        await publisher.start()
        outbox = Outbox(messaging.outbox, "bench")
        consumer = Consumer(ConsumerSpec("kitops", "pings", {KitPing: handle_ping}), names=names,
                            sessions=make_sessions(engine), inbox=messaging.inbox, outbox=outbox,
                            publisher=publisher, prefetch=prefetch, delivery_limit=10, retry_delays_ms=[1000],
                            batch_max=batch_max)
        await consumer.start(consuming)  # declares the queue and its binding
        await consumer.stop(1)
        for start in range(0, n, 500):
            envelopes = [Envelope.wrap(KitPing(n=i), district="bench") for i in range(start, min(n, start + 500))]
            await publisher.publish_many([
                Outgoing(e.routing_key, e.model_dump_json().encode(), str(e.id)) for e in envelopes])
        probe = await asyncpg.connect(asyncpg_dsn(str(engine.url.render_as_string(False))))
        consumer = Consumer(consumer.spec, names=names, sessions=make_sessions(engine), inbox=messaging.inbox,
                            outbox=outbox, publisher=publisher, prefetch=prefetch, delivery_limit=10,
                            retry_delays_ms=[1000], batch_max=batch_max)
        already = await probe.fetchval("SELECT count(*) FROM inbox")

        async def work() -> int:
            await consumer.start(consuming)
            while await probe.fetchval("SELECT count(*) FROM inbox") - already < n:
                await asyncio.sleep(0.1)
            return n
        result = await meter.measure(work)
        await consumer.stop(5)
        await probe.close()
        await _forget(publishing, names)
        await publisher.close()
        return result
    finally:
        await consuming.close()
        await publishing.close()


async def relay_batches(engine: AsyncEngine, meter: Meter, n: int) -> dict:
    """N events staged, then taken one batch of one at a time: what a relay pays per batch besides publishing."""
    publishing = await connect(AMQP, "kit-ops-relay")
    try:
        names = _names()
        publisher = Publisher(publishing, names)
        await publisher.start()
        outbox = Outbox(messaging.outbox, "bench")
        async with make_sessions(engine)() as session, session.begin():
            for i in range(n):
                await outbox.add(session, KitPong(n=i))
        relay = OutboxRelay(engine, messaging.outbox, publisher, batch_size=1)

        async def work() -> int:
            return sum([await relay.publish_batch() for _ in range(n)])
        result = await meter.measure(work)
        await _forget(publishing, names)
        await publisher.close()
        return result
    finally:
        await publishing.close()


async def idle_relay(engine: AsyncEngine, meter: Meter, seconds: float, poll_s: float) -> dict:
    publishing = await connect(AMQP, "kit-ops-relay")
    try:
        names = _names()
        publisher = Publisher(publishing, names)
        await publisher.start()
        relay = OutboxRelay(engine, messaging.outbox, publisher, poll_interval_s=poll_s)
        task = asyncio.create_task(relay.run())
        await asyncio.sleep(0.5)

        def listener() -> set[int]:
            return {relay._listener.get_server_pid()} if relay._listener is not None else set()

        async def work() -> int:
            await asyncio.sleep(seconds)
            return int(seconds)
        result = await meter.measure(work, listener)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await relay.close()
        await _forget(publishing, names)
        await publisher.close()
        return {"poll_interval_s": poll_s, **{k: v for k, v in result.items() if k not in ("count", "per_s")}}
    finally:
        await publishing.close()


async def run(n_transactions: int, n_messages: int, n_batches: int, idle_s: float, prefetch: int) -> dict:
    admin = await asyncpg.connect(asyncpg_dsn(PG))
    name = f"bench_kit_{uuid.uuid4().hex[:8]}"
    await admin.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(PG.rsplit("/", 1)[0] + "/" + name, pool_size=10, max_overflow=0)
    meter = Meter(engine)  # before the first connection: it learns each backend's pid as it connects
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await transactions(engine, meter, 200)  # warm: connections, prepared statements, caches
        result = {}
        if n_transactions:
            result["transaction"] = await transactions(engine, meter, n_transactions)
            result["transaction_precompiled"] = await transactions(engine, meter, n_transactions, precompiled=True)
        if n_messages:
            for batch_max in (1, prefetch):
                result[f"message_batch_max_{batch_max}"] = await messages(engine, meter, n_messages, prefetch,
                                                                          batch_max)
        async with engine.begin() as conn:  # the follow-up events are not the relay's business
            await conn.execute(messaging.outbox.update().values(sent_at=func.now()))
        if n_batches:
            result["relay_batch_of_one"] = await relay_batches(engine, meter, n_batches)
        if idle_s:
            result["idle_relay_per_s"] = [await idle_relay(engine, meter, idle_s, poll) for poll in (0.2, 2.0)]
        async with engine.connect() as conn:
            result["effects"] = (await conn.execute(select(func.count()).select_from(effects))).scalar_one()
        return result
    finally:
        await engine.dispose()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.kit_ops")
    parser.add_argument("--transactions", type=int, default=2000)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--batches", type=int, default=1000)
    parser.add_argument("--idle-s", type=float, default=10)
    parser.add_argument("--prefetch", type=int, default=32)
    args = parser.parse_args()
    result = asyncio.run(run(args.transactions, args.messages, args.batches, args.idle_s, args.prefetch))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
