"""1 000 poison messages against a running catalog: every one ends in a dead-letter queue, the
consumers keep going, the metrics count them, and the operator's `dead-letters` command lists,
shows, replays and purges them without losing or doubling one."""
from __future__ import annotations

import argparse
import asyncio
import io
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator

import aio_pika
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select, text

from pfdo_events import Envelope
from pfdo_events.registry import STATUS_EVENTS, ProviderSnapshot
from pfdo_kit import dead_letters_cli
from pfdo_kit.bus.dead_letters import DeadLetter, depth, read_all
from pfdo_kit.bus.names import BusNames
from services.catalog.app import create_app
from services.catalog.models import Provider, messaging
from services.catalog.settings import CatalogSettings
from tests.faults.operator_cli import dead_letters
from tests.faults.poison import Poison, poison
from tests.support.service_app import RunningService, running_service
from tests.support.service_app import test_settings as service_settings
from tests.support.waiting import eventually

pytestmark = [pytest.mark.faults, pytest.mark.timeout(90)]

POISON_COUNT = 1000


@pytest_asyncio.fixture(loop_scope="session")
async def catalog(fresh_database, migrated_template, amqp_url, bus_names, token_mint) -> AsyncIterator[RunningService]:
    url = await fresh_database(template=await migrated_template("services.catalog"))
    settings = service_settings(CatalogSettings, url, amqp_url, bus_names, token_mint)
    async with running_service(create_app, settings, token_mint, bus_names, "catalog.#") as service:
        yield service
    connection = await aio_pika.connect(amqp_url)
    async with connection:  # the parking queue is the one bus_names does not delete
        await (await connection.channel()).queue_delete(bus_names.unroutable_queue)


def _provider_approved(provider_id: uuid.UUID) -> Envelope:
    snapshot = ProviderSnapshot(provider_id=provider_id, status="approved", kind="municipal",
                                short_name="ДДТ «Радуга»", inn="0700000000", municipality="chegem")
    return Envelope.wrap(STATUS_EVENTS["approved"](provider=snapshot, actor="operator:test"), district="test-district")


async def _publish(channel: aio_pika.abc.AbstractChannel, names: BusNames, items: list[Poison | Envelope]) -> None:
    exchange = await channel.get_exchange(names.exchange)
    messages = [Poison(str(i.id), i.routing_key, i.model_dump_json().encode(), "valid") if isinstance(i, Envelope)
                else i for i in items]
    for start in range(0, len(messages), 200):
        await asyncio.gather(*(
            exchange.publish(aio_pika.Message(m.body, message_id=m.message_id, type=m.routing_key,
                                              content_type="application/json"), routing_key=m.routing_key)
            for m in messages[start:start + 200]))


async def _depths(channel: aio_pika.abc.AbstractChannel, queues: list[str]) -> dict[str, int]:
    return {q: await depth(channel, BusNames.dead_letter_queue(q)) for q in queues}


async def _metrics(svc: RunningService) -> tuple[float, dict[str, float]]:
    """From the service's /metrics: messages its consumers dead-lettered so far, and each DLQ's depth."""
    dead, depths = 0.0, {}
    for family in text_string_to_metric_families((await svc.client.get("/metrics")).text):
        for s in family.samples:
            if s.name == "pfdo_bus_messages_total" and s.labels["outcome"] == "dead_lettered":
                dead += s.value
            elif s.name == "pfdo_bus_dead_letter_queue_messages":
                depths[s.labels["queue"]] = s.value
    return dead, depths


async def _dead_lettered(svc: RunningService) -> float:
    return (await _metrics(svc))[0]


async def _provider_known(svc: RunningService, provider_id: uuid.UUID) -> bool:
    async with svc.app.state.runtime.sessions() as session:
        return await session.get(Provider, provider_id) is not None


async def _command(svc: RunningService, queues: list[str], *argv: str) -> tuple[int, str]:
    """The operator command in-process (the subprocess runs cost ~2 s each)."""
    parser = argparse.ArgumentParser()
    dead_letters_cli.add_commands(parser.add_subparsers(dest="command"))
    out = io.StringIO()
    code = await dead_letters_cli.run(parser.parse_args(["dead-letters", *argv]), svc.settings.amqp_url, queues, out)
    return code, out.getvalue()


async def test_thousand_poison_messages_are_dead_lettered_listed_and_replayed(catalog, bus_names, amqp_url):
    svc = catalog
    consumers = svc.app.state.runtime.consumers
    queues = [c.queue_name for c in consumers]
    models = [(c.queue_name, model) for c in consumers for model in c.spec.handlers]
    poisons = [(models[i % len(models)][0], poison(i, models[i % len(models)][1])) for i in range(POISON_COUNT)]
    expected = Counter(queue for queue, _ in poisons)
    among, after = uuid.uuid4(), uuid.uuid4()
    dead_before = await _dead_lettered(svc)

    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        started = time.monotonic()
        items: list[Poison | Envelope] = [p for _, p in poisons]
        items.insert(POISON_COUNT // 2, _provider_approved(among))
        await _publish(channel, bus_names, [*items, _provider_approved(after)])
        published = time.monotonic()

        async def all_dead() -> bool:
            return sum((await _depths(channel, queues)).values()) >= POISON_COUNT

        await eventually(all_dead, timeout_s=45, interval_s=0.1, what="1000 poison messages in the DLQs")
        took = time.monotonic() - started
        print(f"\n1000 poison messages: published in {published - started:.2f} s, all dead-lettered in {took:.2f} s")
        assert await _depths(channel, queues) == {q: expected[q] for q in queues}
        dead, gauge = await _metrics(svc)
        assert dead - dead_before == POISON_COUNT
        assert {q: gauge[BusNames.dead_letter_queue(q)] for q in queues} == {q: float(expected[q]) for q in queues}

        # The consumers kept going: the valid events among and after the poison took effect.
        await eventually(lambda: _provider_known(svc, among), what="the provider published among the poison")
        await eventually(lambda: _provider_known(svc, after), what="the provider published after the poison")

        # list: every poison message, per queue, as an operator sees it (a real `python -m` run).
        listing = await dead_letters("services.catalog", svc.settings, "list")
        assert listing.code == 0
        for q in queues:
            assert f"{BusNames.dead_letter_queue(q)} — мёртвых писем: {expected[q]}" in listing.out
        assert all(p.message_id in listing.out for _, p in poisons)
        assert f"Всего: {POISON_COUNT}" in listing.out

        # Reading is not destructive: same messages, same order, no delivery counted against a limit.
        first = {q: await read_all(connection, q) for q in queues}
        second = {q: await read_all(connection, q) for q in queues}
        sent = {q: sorted(p.message_id for queue, p in poisons if queue == q) for q in queues}
        assert {q: sorted(d.message_id for d in first[q]) for q in queues} == sent
        order = {q: [d.message_id for d in first[q]] for q in queues}
        assert {q: [d.message_id for d in second[q]] for q in queues} == order
        assert all(int(d.headers.get("x-delivery-count", 0)) == 0 for q in queues for d in second[q])
        letters = {d.message_id: d for q in queues for d in second[q]}
        assert all(letters[p.message_id].body == p.body for _, p in poisons)
        _check_reasons(letters, poisons)

        # show: headers and the whole body, pretty when it is JSON.
        missing = next(p for _, p in poisons if p.kind == "missing_fields")
        shown = await dead_letters("services.catalog", svc.settings, "show", missing.message_id)
        assert shown.code == 0 and f"message-id:    {missing.message_id}" in shown.out
        assert "Причина:       invalid message:" in shown.out and "x-pfdo-error:" in shown.out
        assert '\n  "type": ' in shown.out and '"payload": {}' in shown.out
        broken = next(p for _, p in poisons if p.kind == "not_json")
        code, out = await _command(svc, queues, "show", broken.message_id)
        assert code == 0 and '{"id": "0", "type": ' in out

        # replay a message that is still poison: it leaves the DLQ and comes back once, marked.
        still_poison = next(p for _, p in poisons if p.kind == "wrong_types")
        code, out = await _command(svc, queues, "replay", still_poison.message_id)
        assert code == 0 and ": переотправлено в очередь — 1" in out

        async def back_in_dlq() -> bool:
            return (await _dead_lettered(svc) - dead_before == POISON_COUNT + 1
                    and await _depths(channel, queues) == {q: expected[q] for q in queues})

        await eventually(back_in_dlq, what="the replayed poison dead-lettered again")
        again = [d for q in queues for d in await read_all(connection, q)]
        assert len(again) == len({d.message_id for d in again}) == POISON_COUNT
        assert next(d for d in again if d.message_id == still_poison.message_id).replays == 1

        await _replay_of_message_that_became_valid(svc, connection, channel, bus_names, queues, expected)

        # replay --all of one queue: all go round once and come back, nothing loops or is lost.
        enrollment = next(q for q in queues if q.endswith(".enrollment"))
        before_all = await _dead_lettered(svc)
        code, out = await _command(svc, queues, "replay", "--all", "--queue", "enrollment")
        assert code == 0 and f"{enrollment}: переотправлено в очередь — {expected[enrollment]}" in out

        async def all_back() -> bool:
            return await _dead_lettered(svc) - before_all == expected[enrollment]

        await eventually(all_back, what="the replayed queue's poison back in its DLQ")
        assert (await _depths(channel, queues))[enrollment] == expected[enrollment]

        # purge: gone for good, and only that one.
        code, out = await _command(svc, queues, "purge", broken.message_id)
        assert code == 0 and "удалено из DLQ навсегда — 1" in out
        assert sum((await _depths(channel, queues)).values()) == POISON_COUNT - 1
        code, out = await _command(svc, queues, "show", broken.message_id)
        assert code == 1 and "не найдено" in out


def _check_reasons(letters: dict[str | None, DeadLetter], poisons: list[tuple[str, Poison]]) -> None:
    for _, p in poisons:
        letter = letters[p.message_id]
        assert letter.reason.startswith("invalid message:"), (p.kind, letter.reason)
        assert letter.event == p.routing_key and letter.dead_lettered_at is not None
    unknown = next(p for _, p in poisons if p.kind == "unknown_version")
    assert "unknown event" in letters[unknown.message_id].reason


async def _replay_of_message_that_became_valid(
        svc: RunningService, connection: aio_pika.abc.AbstractConnection, channel: aio_pika.abc.AbstractChannel,
        names: BusNames, queues: list[str], expected: Counter) -> None:
    """The database refuses one provider for a while: its event fails through the retries into the
    DLQ. Once the database takes it again, a replay makes it take effect, exactly once."""
    providers_queue = next(q for q in queues if q.endswith(".providers"))
    refused = uuid.uuid4()
    engine = svc.app.state.runtime.engine
    async with engine.begin() as conn:
        await conn.execute(text(
            f"ALTER TABLE providers ADD CONSTRAINT faults_refused CHECK (id <> '{refused}') NOT VALID"))
    event = _provider_approved(refused)
    await _publish(channel, names, [event])

    async def dead_lettered() -> bool:
        return await depth(channel, BusNames.dead_letter_queue(providers_queue)) == expected[providers_queue] + 1

    await eventually(dead_lettered, timeout_s=20, what="the refused provider's event in the DLQ")
    letter = next(d for d in await read_all(connection, providers_queue) if d.message_id == str(event.id))
    assert letter.reason.startswith("failed after 2 retries") and "faults_refused" in letter.reason
    assert not await _provider_known(svc, refused)

    async with engine.begin() as conn:
        await conn.execute(text("ALTER TABLE providers DROP CONSTRAINT faults_refused"))
    replay = await dead_letters("services.catalog", svc.settings, "replay", str(event.id), "--queue", "providers")
    assert replay.code == 0 and f"{providers_queue}: переотправлено в очередь — 1" in replay.out
    await eventually(lambda: _provider_known(svc, refused), what="the replayed provider taking effect")
    assert await depth(channel, BusNames.dead_letter_queue(providers_queue)) == expected[providers_queue]
    twice = await dead_letters("services.catalog", svc.settings, "replay", str(event.id), "--queue", "providers")
    assert twice.code == 1 and "не найдено" in twice.out
    async with svc.app.state.runtime.sessions() as session:
        claimed = await session.scalar(select(func.count()).select_from(messaging.inbox)
                                       .where(messaging.inbox.c.event_id == event.id))
    assert claimed == 1
