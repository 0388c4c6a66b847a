"""A broker outage is no outage: the process stays ready, its writes commit into the outbox and are
published once the broker is back; liveness stays green too (nothing in the process died). The broker is
cut through a TCP proxy the test controls — the machine's RabbitMQ itself runs on."""
from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import aio_pika
import httpx
from sqlalchemy import text

from gateway.app import create_app
from gateway.domain.routes import SERVICES
from gateway.settings import GatewaySettings
from gateway.upstreams import Upstreams
from pfdo_kit.bus.names import BusNames
from pfdo_kit.bus.topology import declare_exchange
from tests.integration.gateway.conftest import signing_key
from tests.support.service_app import DECLARED_QUEUES
from tests.support.service_app import test_settings as service_settings
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import eventually

PARENT = {"email": "{}@example.ru", "phone": "+7 928 000-00-01", "password": "river-stone-42",
          "municipality": "chegem", "full_name": "Анна Иванова"}


@asynccontextmanager
async def gateway_through(proxy: TcpProxy, amqp_url: str, database_url: str, bus_names, token_mint
                          ) -> AsyncIterator[tuple[httpx.AsyncClient, object]]:
    parts = urlsplit(amqp_url)
    through_proxy = parts._replace(netloc=f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}").geturl()
    settings = service_settings(GatewaySettings, database_url, through_proxy, bus_names, token_mint,
                                signing_key_pem=signing_key(), outbox_max_backoff_s=1.0)
    app = create_app(settings, Upstreams({s: "http://127.0.0.1:9" for s in SERVICES}, timeout_s=0.5, connections=2))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gw") as client:
            try:
                yield client, app.state.runtime
            finally:
                runtime = app.state.runtime
                DECLARED_QUEUES.setdefault(bus_names.queue_prefix, set()).update(
                    name for c in runtime.consumers for name in (
                        c.queue_name, BusNames.dead_letter_queue(c.queue_name),
                        *(BusNames.retry_queue(c.queue_name, t) for t in range(len(settings.bus_retry_delays_ms)))))


@asynccontextmanager
async def tap(amqp_url: str, names: BusNames) -> AsyncIterator[aio_pika.abc.AbstractQueue]:
    """A queue on the real broker (not through the proxy) catching the gateway's events."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(exclusive=True)
        await queue.bind(await declare_exchange(channel, names), "gateway.#")
        yield queue


async def _registered(queue, email: str) -> bool:
    while (message := await queue.get(fail=False, timeout=0.5)) is not None:
        await message.ack()
        if json.loads(message.body)["payload"].get("email") == email:
            return True
    return False


def _async(check):
    async def run() -> bool:
        return check()
    return run


async def _unsent(runtime) -> int:
    async with runtime.engine.connect() as conn:
        return (await conn.execute(text("SELECT count(*) FROM outbox WHERE sent_at IS NULL"))).scalar_one()


async def test_through_a_broker_outage_the_service_stays_ready_and_its_writes_are_sent_after(
        fresh_database, migrated_template, amqp_url, bus_names, token_mint):
    proxy = TcpProxy(urlsplit(amqp_url).hostname, urlsplit(amqp_url).port or 5672)
    await proxy.start()
    db = await fresh_database(template=await migrated_template("gateway"))
    async with tap(amqp_url, bus_names) as events, gateway_through(proxy, amqp_url, db, bus_names, token_mint) as (
            client, runtime):
        assert (await client.get("/health/ready")).json()["checks"] == {"database": "ok", "broker": "ok"}
        await proxy.cut()
        await eventually(_async(lambda: not runtime.broker_connected()), timeout_s=10, what="the cut seen")

        ready = await client.get("/health/ready")
        assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "down"}
        assert (await client.get("/health/live")).status_code == 200
        email = "outage@example.ru"
        assert (await client.post("/api/v1/auth/register", json=PARENT | {"email": email})).status_code == 201
        await asyncio.sleep(2)  # the relay tries and backs off meanwhile
        assert await _unsent(runtime) >= 1 and not await _registered(events, email)
        assert (await client.get("/health/ready")).status_code == 200

        await proxy.start()
        await eventually(lambda: _registered(events, email), timeout_s=30, what="the event published")
        assert await _unsent(runtime) == 0
        assert (await client.get("/health/ready")).json()["checks"]["broker"] == "ok"
    await proxy.cut()


async def test_a_service_started_while_the_broker_is_away_serves_and_connects_when_it_is_back(
        fresh_database, migrated_template, amqp_url, bus_names, token_mint):
    proxy = TcpProxy(urlsplit(amqp_url).hostname, urlsplit(amqp_url).port or 5672)  # not started: refused
    db = await fresh_database(template=await migrated_template("gateway"))
    async with tap(amqp_url, bus_names) as events, gateway_through(proxy, amqp_url, db, bus_names, token_mint) as (
            client, runtime):
        ready = await client.get("/health/ready")
        assert ready.status_code == 200 and ready.json()["checks"]["broker"] == "down"
        assert (await client.get("/health/live")).status_code == 200
        email = "early@example.ru"
        assert (await client.post("/api/v1/auth/register", json=PARENT | {"email": email})).status_code == 201

        await proxy.start()
        await eventually(lambda: _registered(events, email), timeout_s=30, what="the event published")
        assert runtime.consumers and runtime.broker_connected()
    await proxy.cut()


async def test_liveness_fails_only_when_a_part_of_the_process_died(fresh_database, migrated_template, amqp_url,
                                                                   bus_names, token_mint):
    proxy = TcpProxy(urlsplit(amqp_url).hostname, urlsplit(amqp_url).port or 5672)
    await proxy.start()
    db = await fresh_database(template=await migrated_template("gateway"))
    async with gateway_through(proxy, amqp_url, db, bus_names, token_mint) as (client, runtime):
        assert (await client.get("/health/live")).json() == {"service": "gateway", "status": "ok", "dead": []}
        runtime._relay_task.cancel()  # as if the relay had crashed
        await asyncio.sleep(0.1)
        live = await client.get("/health/live")
        assert live.status_code == 503 and live.json()["dead"] == ["gateway-outbox-relay"]
    await proxy.cut()
