"""`python -m services.<name> dead-letters list|show|replay|purge`: the operator's view of a
service's dead-letter queues. The safe reading itself is in pfdo_kit/bus/dead_letters.py."""
from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TextIO

import aio_pika
import aiormq

from pfdo_kit.bus.dead_letters import Action, DeadLetter, DeadLetterError, consumer_queues, walk
from pfdo_kit.bus.names import BusNames
from pfdo_kit.settings import ServiceSettings

Found = dict[str, list[tuple[DeadLetter, Action]]]


def add_commands(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("dead-letters", help="list, show, replay or purge the consumers' dead letters")
    actions = parser.add_subparsers(dest="action", required=True)
    listing = actions.add_parser("list", help="each dead-letter queue: how many, then a line a message")
    listing.add_argument("--limit", type=int, default=None, help="at most this many lines a queue")
    show = actions.add_parser("show", help="the headers and the whole body of a message")
    show.add_argument("message_id")
    replay = actions.add_parser("replay", help="into the consumer's queue; out of the DLQ once the broker confirmed")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("message_id", nargs="?")
    which.add_argument("--all", action="store_true", help="every dead letter of the chosen queues")
    purge = actions.add_parser("purge", help="delete a message from the DLQ for good")
    purge.add_argument("message_id")
    for command in (listing, show, replay, purge):
        command.add_argument("--queue", help="one consumer: its queue, its DLQ or its purpose (e.g. providers)")


def main(args: argparse.Namespace, settings: ServiceSettings, app_factory: str) -> int:
    module, _, factory = app_factory.partition(":")
    app = getattr(importlib.import_module(module), factory)(settings)  # builds, starts nothing
    names = BusNames(settings.bus_exchange, settings.bus_queue_prefix)
    return asyncio.run(run(args, settings.amqp_url, consumer_queues(app.state.consumer_specs, names)))


async def run(args: argparse.Namespace, amqp_url: str, queues: Sequence[str], out: TextIO = sys.stdout) -> int:
    if not queues:
        print("У этого сервиса нет потребителей, а значит и очередей мёртвых писем", file=out)
        return 0
    wanted = args.queue
    chosen = [q for q in queues if wanted in (None, q, BusNames.dead_letter_queue(q)) or q.endswith(f".{wanted}")]
    if not chosen:
        print(f"Нет такой очереди потребителя: {args.queue}. Есть: {', '.join(queues)}", file=out)
        return 2
    connection = await aio_pika.connect(amqp_url, client_properties={"connection_name": "dead-letters"})
    async with connection:
        try:
            return await _COMMANDS[args.action](connection, chosen, args, out)
        except DeadLetterError as exc:
            print(f"Ошибка: {exc}", file=out)
            return 1


async def _walk_each(connection: aio_pika.abc.AbstractConnection, queues: Sequence[str],
                     decide: Callable[[DeadLetter], Action], out: TextIO) -> Found:
    found: Found = {}
    for queue in queues:
        try:
            found[queue] = await walk(connection, queue, decide)
        except aiormq.exceptions.ChannelNotFoundEntity:
            print(f"{queue}: очереди нет на брокере (сервис с этими именами ещё не запускался?)", file=out)
    return found


async def _list(connection, queues, args, out) -> int:
    found = await _walk_each(connection, queues, lambda _: Action.KEEP, out)
    for queue, letters in found.items():
        print(f"{BusNames.dead_letter_queue(queue)} — мёртвых писем: {len(letters)}", file=out)
        if letters:
            print(_row("message-id", "событие", "когда (UTC)", "причина", "начало тела"), file=out)
        for letter, _ in letters[: args.limit]:
            print(_row(letter.address, letter.event or "—", _when(letter.dead_lettered_at), letter.reason,
                       _printable(letter.body[:60].decode("utf-8", "replace"))), file=out)
    print(f"Всего: {sum(len(v) for v in found.values())}", file=out)
    return 0


async def _show(connection, queues, args, out) -> int:
    found = await _walk_each(connection, queues, lambda _: Action.KEEP, out)
    matches = [letter for letters in found.values() for letter, _ in letters if letter.matches(args.message_id)]
    for letter in matches:
        print(f"Очередь:       {BusNames.dead_letter_queue(letter.queue)}", file=out)
        print(f"message-id:    {letter.address}", file=out)
        print(f"Событие:       {letter.event or '—'}", file=out)
        print(f"Когда (UTC):   {_when(letter.dead_lettered_at)}", file=out)
        print(f"Причина:       {letter.reason}", file=out)
        print(f"Переотправок:  {letter.replays}", file=out)
        print("Свойства:", file=out)
        for key, value in letter.properties.items():
            print(f"  {key}: {_value(value)}", file=out)
        print("Заголовки:", file=out)
        for key, value in sorted(letter.headers.items()):
            print(f"  {key}: {_value(value)}", file=out)
        print(f"Тело ({len(letter.body)} байт):", file=out)
        print(_pretty(letter.body), file=out)
        print(file=out)
    return 0 if matches else _not_found(args.message_id, out)


async def _replay(connection, queues, args, out) -> int:
    return await _move(connection, queues, args, out, Action.REPLAY, "переотправлено в очередь")


async def _purge(connection, queues, args, out) -> int:
    return await _move(connection, queues, args, out, Action.DROP, "удалено из DLQ навсегда")


async def _move(connection, queues, args, out, action: Action, done: str) -> int:
    wanted = None if getattr(args, "all", False) else args.message_id
    found = await _walk_each(
        connection, queues, lambda letter: action if wanted is None or letter.matches(wanted) else Action.KEEP, out)
    moved = 0
    for queue, letters in found.items():
        count = sum(1 for _, a in letters if a is action)
        if count:
            print(f"{queue}: {done} — {count}", file=out)
        moved += count
    return 0 if moved or wanted is None else _not_found(wanted, out)


def _not_found(address: str, out: TextIO) -> int:
    print(f"Сообщение {address} не найдено", file=out)
    return 1


_COMMANDS = {"list": _list, "show": _show, "replay": _replay, "purge": _purge}


def _row(address: str, event: str, when: str, reason: str, body: str) -> str:
    return f"  {_cut(address, 36):<36}  {_cut(event, 40):<40}  {when:<19}  {_cut(reason, 60):<60}  {body}"


def _cut(text: str, width: int) -> str:
    text = _printable(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "·" for c in text)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    if moment.tzinfo is None:  # AMQP timestamps arrive naive, in UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _value(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{_when(value)} UTC"
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def _pretty(body: bytes) -> str:
    try:
        return json.dumps(json.loads(body), ensure_ascii=False, indent=2)
    except ValueError:
        return body.decode("utf-8", "replace")
