"""Reading, replaying and purging a consumer's dead-letter queue, losing nothing.

A DLQ is read without ever requeueing. A quorum queue counts every return of a message
(basic.get then nack/reject with requeue, or a channel closing with it unacked) in its
delivery count, and a delivery limit — set by a policy, or the default of 20 that RabbitMQ
4.0–4.2 put on every quorum queue — drops a message returned too often: a DLQ has nowhere
further to send it. So a pass takes the N messages the queue holds when it starts, one after
another, publishes each where it belongs (a copy to the tail of the same DLQ, or to the
consumer's main queue for a replay) and acks the original only once the broker confirmed the
copy. After a pass the N messages stand in their old order, each with a fresh delivery count;
what was dead-lettered meanwhile stands among them. A crash between the confirms and the ack
leaves that batch twice, never lost (a replayed event still takes effect once: the inbox).
"""
from __future__ import annotations

import asyncio
import enum
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage

from pfdo_kit.bus import names as hdr
from pfdo_kit.bus.names import BusNames

# Originals held unacked while their copies' confirms are awaited. A channel sends a quorum
# queue at most 32 commands it has not seen applied and holds the rest back; acks held back
# when the channel closes are lost and their messages return (rabbitmq-server#10327; here the
# last 17 of a batch of 50 came back as duplicates). Half of that keeps every ack sent.
BATCH = 16
_COUNTED_BY_BROKER = "x-delivery-count"
_DEATH_RECORDS = ("x-death", "x-first-death", "x-last-death")
_OUR_DEATH_STAMPS = (hdr.ERROR_HEADER, hdr.SOURCE_QUEUE_HEADER, hdr.DEAD_LETTERED_AT_HEADER, hdr.ATTEMPT_HEADER)


class Action(enum.Enum):
    KEEP = "keep"  # back to the tail of the DLQ
    REPLAY = "replay"  # into the consumer's main queue
    DROP = "drop"  # gone for good (purge)


class DeadLetterError(RuntimeError):
    """The broker did not confirm a copy: its original stays in the DLQ."""


@dataclass(frozen=True)
class DeadLetter:
    queue: str  # the consumer's main queue
    message_id: str | None
    body: bytes
    headers: dict[str, Any]
    properties: dict[str, Any]

    @property
    def address(self) -> str:
        """What an operator types: the message id, or a digest of the body when it has none."""
        return self.message_id or f"body:{hashlib.sha1(self.body).hexdigest()[:12]}"

    def matches(self, address: str) -> bool:
        return address in (self.address, self.message_id)

    @property
    def _death(self) -> dict[str, Any]:
        deaths = self.headers.get("x-death") or [{}]
        return deaths[0] if isinstance(deaths[0], dict) else {}

    @property
    def event(self) -> str | None:
        """The routing key the event travelled with (the broker's own dead-lettering replaces it)."""
        keys = self._death.get("routing-keys") or [None]
        return _text(self.headers.get(hdr.ROUTING_KEY_HEADER)) or _text(keys[0]) or self.properties.get("type")

    @property
    def dead_lettered_at(self) -> datetime | None:
        try:
            return datetime.fromisoformat(_text(self.headers.get(hdr.DEAD_LETTERED_AT_HEADER)) or "")
        except ValueError:
            return self._death.get("time") or self.properties.get("timestamp")

    @property
    def reason(self) -> str:
        ours = _text(self.headers.get(hdr.ERROR_HEADER))
        if ours:
            return ours
        broker = _text(self._death.get("reason"))
        return f"broker: {broker} ({_text(self._death.get('queue'))})" if broker else "unknown"

    @property
    def replays(self) -> int:
        return int(self.headers.get(hdr.REPLAYS_HEADER) or 0)


def _text(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return None if value is None else str(value)


def consumer_queues(specs: Sequence[Any], names: BusNames) -> list[str]:
    """The main queue of every consumer a service declares (ConsumerSpec: service, purpose)."""
    return [names.queue(spec.service, spec.purpose) for spec in specs]


async def depth(channel: AbstractChannel, queue: str) -> int:
    """Messages ready in a queue, by a passive declare (a missing queue closes the channel).
    Asked of the raw channel: a robust channel answers a repeated passive declare from its cache."""
    raw = await channel.get_underlay_channel()
    return (await raw.queue_declare(queue, passive=True)).message_count


async def walk(connection: AbstractConnection, queue: str,
               decide: Callable[[DeadLetter], Action]) -> list[tuple[DeadLetter, Action]]:
    """One pass over what `queue`'s DLQ holds now, on channels of its own."""
    dlq = BusNames.dead_letter_queue(queue)
    getter = await connection.channel()
    publisher = await connection.channel(publisher_confirms=True)
    try:
        await depth(getter, queue)  # the main queue must exist before anything is replayed into it
        source = await getter.get_queue(dlq, ensure=False)
        done: list[tuple[DeadLetter, Action]] = []
        batch: list[tuple[AbstractIncomingMessage, DeadLetter, Action]] = []
        for _ in range(await depth(getter, dlq)):
            message = await source.get(no_ack=False, fail=False)
            if message is None:
                break
            letter = _letter(queue, message)
            batch.append((message, letter, decide(letter)))
            if len(batch) == BATCH:
                done += await _settle(publisher, queue, batch)
                batch = []
        done += await _settle(publisher, queue, batch)
        await depth(getter, dlq)  # a round trip after the last ack before the channel closes
        return done
    finally:
        for channel in (publisher, getter):
            if not channel.is_closed:
                await channel.close()


async def read_all(connection: AbstractConnection, queue: str) -> list[DeadLetter]:
    return [letter for letter, _ in await walk(connection, queue, lambda _: Action.KEEP)]


async def _settle(publisher: AbstractChannel, queue: str,
                  batch: list[tuple[AbstractIncomingMessage, DeadLetter, Action]]) -> list[tuple[DeadLetter, Action]]:
    if not batch:
        return []
    # Tasks start in creation order and the channel publishes one frame set at a time, so the
    # copies reach the DLQ in the order their originals left it.
    sends = [asyncio.ensure_future(_publish(publisher, queue, message, action))
             for message, _, action in batch if action is not Action.DROP]
    outcomes = iter(await asyncio.gather(*sends, return_exceptions=True))
    confirmed = [action is Action.DROP or next(outcomes) is None for _, _, action in batch]
    if all(confirmed):
        await batch[-1][0].ack(multiple=True)
        return [(letter, action) for _, letter, action in batch]
    for (message, _, _), ok in zip(batch, confirmed):
        await (message.ack() if ok else message.nack(requeue=True))  # rare: a counted return
    raise DeadLetterError(f"{confirmed.count(False)} of {len(batch)} copies were not confirmed; their originals stay")


async def _publish(channel: AbstractChannel, queue: str, message: AbstractIncomingMessage, action: Action) -> None:
    target = queue if action is Action.REPLAY else BusNames.dead_letter_queue(queue)
    copy = _replay_copy(message) if action is Action.REPLAY else _kept_copy(message)
    confirm = await channel.default_exchange.publish(copy, routing_key=target, mandatory=True)
    # An unroutable mandatory message comes back as a Return that is still "confirmed".
    if not isinstance(confirm, aiormq.spec.Basic.Ack):
        raise DeadLetterError(f"{target} did not take the message")


def _letter(queue: str, message: AbstractIncomingMessage) -> DeadLetter:
    properties = {
        "content_type": message.content_type, "correlation_id": message.correlation_id,
        "timestamp": message.timestamp, "type": message.type, "app_id": message.app_id,
    }
    return DeadLetter(queue, message.message_id, message.body, dict(message.headers or {}),
                      {k: v for k, v in properties.items() if v is not None})


def _kept_copy(message: AbstractIncomingMessage) -> aio_pika.Message:
    headers = {k: v for k, v in (message.headers or {}).items() if k != _COUNTED_BY_BROKER}
    return _copy(message, headers)


def _replay_copy(message: AbstractIncomingMessage) -> aio_pika.Message:
    """The event as first published: our and the broker's death stamps and the retry count go."""
    letter = _letter("", message)
    headers = {
        k: v for k, v in (message.headers or {}).items()
        if k != _COUNTED_BY_BROKER and k not in _OUR_DEATH_STAMPS and not k.startswith(_DEATH_RECORDS)
    }
    if letter.event:
        headers[hdr.ROUTING_KEY_HEADER] = letter.event
    headers[hdr.REPLAYS_HEADER] = letter.replays + 1
    return _copy(message, headers)


def _copy(message: AbstractIncomingMessage, headers: dict[str, Any]) -> aio_pika.Message:
    return aio_pika.Message(
        body=message.body, headers=headers, content_type=message.content_type,
        content_encoding=message.content_encoding, delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        correlation_id=message.correlation_id, message_id=message.message_id, timestamp=message.timestamp,
        type=message.type, app_id=message.app_id,
    )
