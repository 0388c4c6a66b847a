"""Consuming events: inbox and effect in one transaction, ack after commit.

Outcomes of a delivery:
- processed (or a duplicate the inbox already knows): commit, then ack;
- undecodable or PermanentError: straight to the dead-letter queue;
- any other error: a copy goes to the retry queue of the next backoff tier, counted in
  our own attempt header; after the last tier, to the dead-letter queue.
A consumer process that dies mid-message leaves it unacked: the broker redelivers it,
and the quorum queue's delivery limit dead-letters a message that keeps killing us.

Windows: what arrives while a delivery is being handled waits, and the waiting deliveries (up to
batch_max) are then handled in one transaction: one inbox insert for all, each fresh event's handler
in a session of its own on the shared connection, one COMMIT, one ack for the window. A handler that
raises rolls the window back; its message goes the way it would alone (a retry tier or the dead
letters) and the others run again without it. Any other failure (the inbox insert, the commit) has
each message of the window handled alone. Nothing is acked before its commit. With batch_max 1 every
delivery is handled alone, as many at once as the prefetch lets in.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage, AbstractQueue, AbstractRobustConnection
from aiormq.exceptions import ChannelInvalidStateError
from pydantic import ValidationError
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pfdo_events import Envelope, Event, decode
from pfdo_events.envelope import UnknownEvent
from pfdo_kit import context, tracing
from pfdo_kit.bus import names as hdr
from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.publisher import Publisher
from pfdo_kit.bus.topology import declare_consumer_queues, declare_exchange
from pfdo_kit.calendar import WorkingCalendar
from pfdo_kit.clock import Clock
from pfdo_kit.inbox import claim, claim_many
from pfdo_kit.metrics import BUS_MESSAGES
from pfdo_kit.outbox import Outbox
from pfdo_kit.wakeups import woken

log = logging.getLogger(__name__)

_BROKER_HEADERS = ("x-death", "x-first-death", "x-last-death")


# A window in which this many handlers failed is handled one message at a time (each failure rolls the
# window back and runs the others again).
WINDOW_FAILURES_MAX = 3


class PermanentError(Exception):
    """The message can never succeed (bad data for this consumer): dead-letter it now."""


class HandlerFailed(Exception):
    """A handler raised inside a window's transaction: which one, and what."""

    def __init__(self, index: int, error: Exception) -> None:
        super().__init__(index, error)
        self.index, self.error = index, error


@dataclass
class HandlerContext:
    """What a handler gets: the transaction, the event's envelope, the outbox to stage
    follow-up events, and the service's settings, clock and working calendar."""

    session: AsyncSession
    envelope: Envelope
    outbox: Outbox
    settings: Any = None
    clock: Clock = field(default_factory=Clock)
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)

    async def emit(self, event: Event) -> Envelope:
        """Stage a follow-up event in the same transaction as the effect."""
        return await self.outbox.add(
            self.session, event, correlation_id=self.envelope.correlation_id, causation_id=self.envelope.id
        )


Handler = Callable[[HandlerContext, Any], Awaitable[None]]


class Delivery(NamedTuple):
    message: AbstractIncomingMessage
    envelope: Envelope
    event: Event
    handler: Handler


@dataclass(frozen=True)
class ConsumerSpec:
    """What a service declares: its name, purpose and a handler per event model."""

    service: str
    purpose: str
    handlers: dict[type[Event], Handler]

    @property
    def name(self) -> str:
        return f"{self.service}.{self.purpose}"


class Consumer:
    def __init__(
        self,
        spec: ConsumerSpec,
        *,
        names: BusNames,
        sessions: async_sessionmaker[AsyncSession],
        inbox: Table,
        outbox: Outbox,
        publisher: Publisher,
        prefetch: int,
        delivery_limit: int,
        retry_delays_ms: Sequence[int],
        batch_max: int = 32,
        settings: Any = None,
        clock: Clock | None = None,
        calendar: WorkingCalendar | None = None,
    ) -> None:
        self.spec = spec
        self._settings, self._clock, self._calendar = settings, clock or Clock(), calendar or WorkingCalendar()
        self.queue_name = names.queue(spec.service, spec.purpose)
        self._names = names
        self._handlers = {(m.event_type, m.event_version): h for m, h in spec.handlers.items()}
        self._routing_keys = [m.routing_key() for m in spec.handlers]
        self._sessions, self._inbox, self._outbox, self._publisher = sessions, inbox, outbox, publisher
        self._prefetch, self._delivery_limit = prefetch, delivery_limit
        self._retry_delays_ms = list(retry_delays_ms)
        self._channel: AbstractChannel | None = None
        self._queue: AbstractQueue | None = None
        self._tag: str | None = None
        self._batch_max = batch_max
        self._waiting: list[AbstractIncomingMessage] = []
        self._working = False
        self._inflight = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def start(self, connection: AbstractRobustConnection) -> None:
        self._channel = await connection.channel()
        await self._channel.set_qos(prefetch_count=self._prefetch)
        exchange = await declare_exchange(self._channel, self._names)
        self._queue = await declare_consumer_queues(
            self._channel, self._names, exchange, self.queue_name, self._routing_keys,
            self._delivery_limit, self._retry_delays_ms,
        )
        self._tag = await self._queue.consume(self._on_message)

    async def stop(self, grace_s: float) -> None:
        """Stop taking deliveries, let in-flight handlers finish, then close the channel."""
        if self._queue is not None and self._tag is not None:
            try:
                await self._queue.cancel(self._tag)
            except Exception:  # the channel may already be gone
                log.warning("consumer cancel failed", extra={"consumer": self.spec.name})
        if not await woken(self._idle, grace_s):
            log.warning("in-flight handlers did not finish", extra={"consumer": self.spec.name})
        if self._channel is not None and not self._channel.is_closed:
            await self._channel.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self._inflight += 1
        self._idle.clear()
        if self._batch_max == 1:  # each alone, as many at once as the prefetch lets in
            try:
                await self._process(message)
            finally:
                self._inflight -= 1
                if self._inflight == 0:
                    self._idle.set()
            return
        self._waiting.append(message)
        if self._working:  # the delivery being handled takes this one in its next window
            return
        self._working = True
        try:
            while self._waiting:
                window = self._waiting[:self._batch_max]
                del self._waiting[:len(window)]
                try:
                    if len(window) == 1:
                        await self._process(window[0])
                    else:
                        await self._process_window(window)
                finally:
                    self._inflight -= len(window)
        finally:
            self._working = False
            if self._waiting:  # cancelled: these stay unacked, and the broker redelivers them
                self._inflight -= len(self._waiting)
                self._waiting.clear()
            if self._inflight == 0:
                self._idle.set()

    def _decode(self, message: AbstractIncomingMessage) -> tuple[Envelope, Event, Handler]:
        envelope, event = decode(message.body)
        handler = self._handlers.get((envelope.type, envelope.version))
        if handler is None:
            raise UnknownEvent(f"no handler for {envelope.routing_key}")
        return envelope, event, handler

    def _context(self, session: AsyncSession, envelope: Envelope) -> HandlerContext:
        return HandlerContext(session, envelope, self._outbox, self._settings, self._clock, self._calendar)

    async def _process(self, message: AbstractIncomingMessage) -> None:
        try:
            envelope, event, handler = self._decode(message)
        except (ValidationError, UnknownEvent, ValueError) as exc:
            await self._dead_letter(message, f"invalid message: {exc}")
            return
        await self._handle(message, envelope, event, handler)

    async def _handle(self, message: AbstractIncomingMessage, envelope: Envelope, event: Event,
                      handler: Handler) -> None:
        context.correlation_id.set(envelope.correlation_id)
        context.causation_id.set(envelope.id)
        try:
            with tracing.consuming(self.spec.name, envelope.routing_key, message.headers):
                async with self._sessions() as session, session.begin():
                    fresh = await claim(session, self._inbox, self.spec.name, envelope)
                    if fresh:
                        await handler(self._context(session, envelope), event)
        except Exception as exc:
            await self._failed(message, exc)
            return
        BUS_MESSAGES.labels(self.spec.name, "processed" if fresh else "duplicate").inc()
        await self._settle(message.ack())

    async def _failed(self, message: AbstractIncomingMessage, exc: Exception) -> None:
        if isinstance(exc, PermanentError):
            await self._dead_letter(message, f"permanent error: {exc}")
        else:
            await self._retry_or_dead_letter(message, exc)

    async def _process_window(self, messages: list[AbstractIncomingMessage]) -> None:
        work: list[Delivery] = []
        for message in messages:
            try:
                work.append(Delivery(message, *self._decode(message)))
            except (ValidationError, UnknownEvent, ValueError) as exc:
                await self._dead_letter(message, f"invalid message: {exc}")
        failures = 0
        while len(work) > 1 and failures < WINDOW_FAILURES_MAX:
            try:
                fresh = await self._handle_together(work)
            except HandlerFailed as failed:
                # That message fails as it would alone (its retry or dead letter); the others, rolled back
                # with it, go round again without it.
                failures += 1
                await self._failed(work.pop(failed.index).message, failed.error)
                continue
            except Exception as exc:  # the inbox insert, the commit, the connection: nobody's in particular
                log.warning("window rolled back, handling its messages one by one",
                            extra={"consumer": self.spec.name, "messages": len(work), "error": repr(exc)})
                break
            for was_fresh in fresh:
                BUS_MESSAGES.labels(self.spec.name, "processed" if was_fresh else "duplicate").inc()
            await self._ack_window([d.message for d in work])
            return
        for delivery in work:
            await self._handle(*delivery)

    async def _handle_together(self, work: list[Delivery]) -> list[bool]:
        """One transaction for the window: one inbox insert for all, then each fresh event's handler in a session
        of its own on the shared connection (nothing one handler loaded is seen stale by the next). Everything
        is rolled back if anything raises: HandlerFailed names the handler that did."""
        async with self._sessions() as outer, outer.begin():
            connection = await outer.connection()
            claimed = await claim_many(outer, self._inbox, self.spec.name, [d.envelope for d in work])
            fresh: list[bool] = []
            for index, (message, envelope, event, handler) in enumerate(work):
                first = envelope.id in claimed
                claimed.discard(envelope.id)  # a second copy in the same window is a duplicate
                fresh.append(first)
                if not first:
                    continue
                context.correlation_id.set(envelope.correlation_id)
                context.causation_id.set(envelope.id)
                try:
                    with tracing.consuming(self.spec.name, envelope.routing_key, message.headers):
                        async with self._sessions(bind=connection, join_transaction_mode="rollback_only") as session:
                            async with session.begin():
                                await handler(self._context(session, envelope), event)
                except Exception as exc:
                    raise HandlerFailed(index, exc) from exc
        return fresh

    async def _ack_window(self, messages: list[AbstractIncomingMessage]) -> None:
        last = messages[-1]
        try:
            one_channel = all(m.channel is last.channel for m in messages)
        except ChannelInvalidStateError:  # closed under us: the acks below fail, and the broker redelivers
            one_channel = False
        if one_channel:
            # One ack for the window: every earlier delivery on this channel is settled already (windows are
            # handled one after another, and a failed message was retried or dead-lettered before this).
            await self._settle(last.ack(multiple=True))
        else:  # a reconnect in between: each on its own channel
            for message in messages:
                await self._settle(message.ack())

    async def _retry_or_dead_letter(self, message: AbstractIncomingMessage, exc: Exception) -> None:
        attempt = int((message.headers or {}).get(hdr.ATTEMPT_HEADER, 0) or 0)
        if attempt >= len(self._retry_delays_ms):
            await self._dead_letter(message, f"failed after {attempt} retries: {exc!r}")
            return
        log.warning(
            "handler failed, will retry",
            extra={"consumer": self.spec.name, "attempt": attempt + 1, "error": repr(exc)},
        )
        copy = self._copy(message, {hdr.ATTEMPT_HEADER: attempt + 1})
        try:
            await self._publisher.send_to_queue(BusNames.retry_queue(self.queue_name, attempt), copy)
        except Exception:
            await self._settle(message.nack(requeue=True))
            return
        BUS_MESSAGES.labels(self.spec.name, "retried").inc()
        await self._settle(message.ack())

    async def _dead_letter(self, message: AbstractIncomingMessage, reason: str) -> None:
        log.error("dead-lettering message", extra={"consumer": self.spec.name, "reason": reason[:500]})
        copy = self._copy(message, {
            hdr.ERROR_HEADER: reason[:1000], hdr.SOURCE_QUEUE_HEADER: self.queue_name,
            hdr.DEAD_LETTERED_AT_HEADER: datetime.now(UTC).isoformat(timespec="seconds"),
        })
        BUS_MESSAGES.labels(self.spec.name, "dead_lettered").inc()
        try:
            await self._publisher.send_to_queue(BusNames.dead_letter_queue(self.queue_name), copy)
        except Exception:
            # The queue's own dead-letter route still takes it, without our reason.
            await self._settle(message.reject(requeue=False))
            return
        await self._settle(message.ack())

    @staticmethod
    def _copy(message: AbstractIncomingMessage, extra_headers: dict[str, object]) -> aio_pika.Message:
        # The broker's own death records are its business; a re-published copy starts clean.
        headers = {k: v for k, v in (message.headers or {}).items() if not k.startswith(_BROKER_HEADERS)}
        headers.setdefault(hdr.ROUTING_KEY_HEADER, message.routing_key)
        headers.update(extra_headers)
        return aio_pika.Message(
            body=message.body,
            content_type=message.content_type,
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=message.message_id,
            correlation_id=message.correlation_id,
            type=message.type,
            timestamp=message.timestamp,
            headers=headers,
        )

    async def _settle(self, settle: Awaitable[None]) -> None:
        # After a reconnect the delivery tag is stale; the broker redelivers and the
        # inbox turns the redelivery into a no-op.
        try:
            await settle
        except Exception as exc:
            log.warning("could not settle message", extra={"consumer": self.spec.name, "error": repr(exc)})
