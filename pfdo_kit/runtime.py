"""What a running service holds: database, broker connections, relay and consumers."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence

from aio_pika.abc import AbstractRobustConnection

from pfdo_kit.bus.connection import connect
from pfdo_kit.bus.consumer import Consumer, ConsumerSpec
from pfdo_kit.bus.dead_letter_gauge import DeadLetterGauge
from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.publisher import Publisher
from pfdo_kit.calendar import WorkingCalendar
from pfdo_kit.clock import Clock
from pfdo_kit.db import make_engine, make_read_sessions, make_sessions, make_snapshot_sessions
from pfdo_kit.messaging_tables import MessagingTables
from pfdo_kit.metrics import OUTBOX_OLDEST_UNSENT, OUTBOX_UNSENT
from pfdo_kit.outbox import Outbox
from pfdo_kit.process_status import outbox_backlog
from pfdo_kit.relay import OutboxRelay
from pfdo_kit.settings import ServiceSettings

log = logging.getLogger(__name__)

BUS_START_TIMEOUT_S = 15  # a broker that neither answers nor refuses does not hold the API's start longer


def clock_from(settings: ServiceSettings) -> Clock:
    return Clock(settings.timezone, settings.clock_date)


def calendar_from(settings: ServiceSettings) -> WorkingCalendar:
    return WorkingCalendar(settings.extra_days_off, settings.extra_working_days)


class ServiceRuntime:
    def __init__(
        self,
        service: str,
        settings: ServiceSettings,
        tables: MessagingTables,
        consumers: Sequence[ConsumerSpec] = (),
        background: Sequence[Callable[["ServiceRuntime"], Awaitable[None]]] = (),
        clock: Clock | None = None,
        gauges: Sequence[Callable[["ServiceRuntime"], Awaitable[None]]] = (),
    ) -> None:
        self.service, self.settings, self.tables = service, settings, tables
        self._gauges = list(gauges)
        self.clock = clock or clock_from(settings)
        self.calendar = calendar_from(settings)
        self.engine = make_engine(settings.database_url, settings.engine_pool_size(), settings.db_max_overflow)
        self.sessions = make_sessions(self.engine)
        self.reads = make_read_sessions(self.engine)  # GET routes and jobs' reads: no BEGIN, no ROLLBACK
        self.snapshots = make_snapshot_sessions(self.engine)  # reads of several statements that must agree
        self.outbox = Outbox(tables.outbox, settings.district)
        self.names = BusNames(settings.bus_exchange, settings.bus_queue_prefix, settings.bus_queue_expires_ms)
        self._consumer_specs = list(consumers)
        self.consumers: list[Consumer] = []
        self.publisher: Publisher | None = None
        self.relay: OutboxRelay | None = None
        self.dead_letter_gauge: DeadLetterGauge | None = None
        self._connections: list[AbstractRobustConnection] = []
        self._relay_task: asyncio.Task | None = None
        self._background = list(background)
        self._background_tasks: list[asyncio.Task] = []
        self._bus_task: asyncio.Task | None = None  # connecting in the background after a start without a broker

    async def start(self) -> None:
        """The database part at once; the broker part too if it answers, else in the background until it
        does: meanwhile the API serves and its writes wait in the outbox (a broker outage is no outage)."""
        try:
            async with asyncio.timeout(BUS_START_TIMEOUT_S):
                await self._start_bus()
        except Exception as exc:
            log.warning("broker unavailable at start; serving, events wait in the outbox",
                        extra={"error": repr(exc)})
            self._bus_task = asyncio.create_task(self._start_bus_when_up(), name=f"{self.service}-bus-start")
        self._background_tasks = [asyncio.create_task(job(self), name=getattr(job, "__name__", "job"))
                                  for job in self._background]
        log.info("service started", extra={"consumers": [c.queue_name for c in self.consumers]})

    async def _start_bus(self) -> None:
        s = self.settings
        publishing = await connect(s.amqp_url, f"{self.service}-publish")
        self._connections = [publishing]
        try:
            consuming = await connect(s.amqp_url, f"{self.service}-consume")
            self._connections.append(consuming)
            self.publisher = Publisher(publishing, self.names)
            await self.publisher.start()
            for spec in self._consumer_specs:
                consumer = Consumer(
                    spec, names=self.names, sessions=self.sessions, inbox=self.tables.inbox,
                    outbox=self.outbox, publisher=self.publisher, prefetch=s.bus_prefetch,
                    settings=s, clock=self.clock, calendar=self.calendar,
                    delivery_limit=s.bus_delivery_limit, retry_delays_ms=s.bus_retry_delays_ms,
                    batch_max=s.bus_batch_max,
                )
                await consumer.start(consuming)
                self.consumers.append(consumer)
        except BaseException:
            self.consumers, self.publisher = [], None
            for connection in self._connections:
                with contextlib.suppress(Exception):
                    await connection.close()
            self._connections = []
            raise
        self.dead_letter_gauge = DeadLetterGauge(publishing, [(c.spec.name, c.queue_name) for c in self.consumers])
        self.relay = OutboxRelay(
            self.engine, self.tables.outbox, self.publisher, batch_size=s.outbox_batch_size,
            poll_interval_s=s.outbox_poll_interval_s, max_backoff_s=s.outbox_max_backoff_s,
        )
        self._relay_task = asyncio.create_task(self.relay.run(), name=f"{self.service}-outbox-relay")

    async def _start_bus_when_up(self) -> None:
        delay = 1.0
        while True:
            await asyncio.sleep(delay)
            try:
                await self._start_bus()
            except Exception as exc:
                log.warning("broker still unavailable", extra={"error": repr(exc), "retry_in_s": delay})
                delay = min(delay * 2, self.settings.outbox_max_backoff_s)
                continue
            log.info("broker connected", extra={"consumers": [c.queue_name for c in self.consumers]})
            return

    def stuck(self) -> list[str]:
        """What of this process has died and will not come back by itself (liveness fails): the outbox relay,
        a background job (each runs until the process stops) or the broker's background start. A broker or
        database outage is not here: those come back, and the process with them."""
        tasks = [self._relay_task, *self._background_tasks]
        dead = [t.get_name() for t in tasks if t is not None and t.done()]
        if self._bus_task is not None and self._bus_task.done() and (
                self._bus_task.cancelled() or self._bus_task.exception() is not None):
            dead.append(self._bus_task.get_name())
        return dead

    async def refresh_gauges(self) -> None:
        if self.dead_letter_gauge is not None:
            await self.dead_letter_gauge.refresh()
        await self._refresh_outbox_gauges()
        for refresh in self._gauges:
            try:
                async with asyncio.timeout(2):
                    await refresh(self)
            except Exception as exc:  # a scrape never fails for a gauge; the last value stays
                log.warning("gauge not refreshed", extra={"gauge": refresh.__name__, "error": repr(exc)})

    async def _refresh_outbox_gauges(self) -> None:
        """Unsent events and the oldest one's age (the partial index `outbox_unsent` holds exactly them);
        2 s at most, the last values stay on failure."""
        try:
            async with asyncio.timeout(2):
                count, age = await outbox_backlog(self.engine, self.tables.outbox)
        except Exception as exc:
            log.warning("outbox gauges not refreshed", extra={"error": repr(exc)})
            return
        OUTBOX_UNSENT.set(count)
        OUTBOX_OLDEST_UNSENT.set(float(age or 0))

    def broker_connected(self) -> bool:
        return bool(self._connections) and all(not c.is_closed and c.connected.is_set() for c in self._connections)

    async def stop(self) -> None:
        for task in [*self._background_tasks, *([self._bus_task] if self._bus_task else [])]:
            await _cancelled(task)
        for consumer in self.consumers:
            await consumer.stop(self.settings.bus_shutdown_grace_s)
        if self._relay_task is not None:
            await _cancelled(self._relay_task)
        if self.relay is not None:
            await self.relay.close()
        if self.publisher is not None:
            await self.publisher.close()
        for connection in self._connections:
            await connection.close()
        await self.engine.dispose()
        log.info("service stopped")


async def _cancelled(task: asyncio.Task, within_s: float = 10.0) -> None:
    """Cancel a task of the process and wait for it to end — not for ever: a task that lost its cancel
    (see pfdo_kit.wakeups) must not keep the process from stopping."""
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=within_s)  # raises neither the task's error nor its cancel
    if not done:
        log.error("a task did not stop when cancelled; stopping without it", extra={"task": task.get_name()})
    elif not task.cancelled() and task.exception() is not None:
        log.warning("a task had failed before the stop",
                    extra={"task": task.get_name(), "error": repr(task.exception())})
