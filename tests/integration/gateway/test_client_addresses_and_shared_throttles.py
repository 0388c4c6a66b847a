"""The gateway behind an ingress, and several gateway processes: the throttles count the real client
(the address our proxy forwards) in a store every process shares, and forget idle keys."""
from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

import httpx
import redis.asyncio

from gateway.app import create_app
from gateway.domain.routes import SERVICES
from gateway.flows.accounts import create_account
from gateway.settings import GatewaySettings
from gateway.upstreams import Upstreams
from tests.integration.gateway.conftest import on_loopback, signing_key
from tests.support.reverse_proxy import reverse_proxy
from tests.support.service_app import RunningService, running_service
from tests.support.service_app import test_settings as service_settings

WRONG = {"password": "not-the-password-1"}


@asynccontextmanager
async def gateways(count: int, database_url: str, amqp_url, bus_names, token_mint,
                   **overrides) -> AsyncIterator[list[RunningService]]:
    """`count` gateway apps of one installation (one database, one signing key), each its own instance."""
    settings = service_settings(GatewaySettings, database_url, amqp_url, bus_names, token_mint,
                                signing_key_pem=signing_key(), **overrides)
    async with AsyncExitStack() as stack:
        running = []
        for _ in range(count):
            upstreams = Upstreams({s: "http://127.0.0.1:9" for s in SERVICES}, timeout_s=0.5, connections=2)
            running.append(await stack.enter_async_context(
                running_service(lambda s, u=upstreams: create_app(s, u), settings, token_mint, bus_names, "gateway.#")))
        yield running


async def _account(gateway: RunningService, email: str, password: str) -> None:
    runtime = gateway.app.state.runtime
    async with runtime.sessions() as session, session.begin():
        await create_account(session, runtime.outbox, email=email, password=password, role="parent",
                             municipality="chegem", created_by="test")


def _client_from(address: str, base_url: str) -> httpx.AsyncClient:
    """A client whose connections come from `address` (any 127.x address is this machine's)."""
    return httpx.AsyncClient(transport=httpx.AsyncHTTPTransport(local_address=address), base_url=base_url)


async def test_behind_the_ingress_one_client_s_failed_logins_do_not_lock_out_another(
        fresh_database, migrated_template, amqp_url, bus_names, token_mint):
    db = await fresh_database(template=await migrated_template("gateway"))
    # The ingress's pods are a network (127.0.0.4/30 here), as a cluster's are; the test's ingress is 127.0.0.5.
    async with gateways(1, db, amqp_url, bus_names, token_mint, trusted_proxies=["127.0.0.4/30"]) as [gateway], \
            on_loopback(gateway.app) as gateway_url, \
            reverse_proxy(gateway_url, source_address="127.0.0.5") as ingress:
        await _account(gateway, "anna@example.ru", "river-stone-42")
        async with _client_from("127.0.0.2", ingress) as mallory, _client_from("127.0.0.3", ingress) as anna:
            for i in range(20):
                r = await mallory.post("/api/v1/auth/token", json={"email": f"guess{i}@example.ru"} | WRONG)
                assert r.status_code == 401, r.text
            blocked = await mallory.post("/api/v1/auth/token", json={"email": "anna@example.ru"} | WRONG)
            assert blocked.status_code == 429, "20 failures from one client lock that client out"
            r = await anna.post("/api/v1/auth/token", json={"email": "anna@example.ru", "password": "river-stone-42"})
            assert r.status_code == 200, "another client behind the same ingress still logs in"
            # a client cannot choose who it is by writing its own X-Forwarded-For: the ingress appends the real one
            r = await mallory.post("/api/v1/auth/token", headers={"X-Forwarded-For": "203.0.113.9"},
                                   json={"email": "x@example.ru"} | WRONG)
            assert r.status_code == 429


async def test_two_gateway_processes_share_one_limit_and_idle_keys_expire(
        fresh_database, migrated_template, amqp_url, bus_names, token_mint, redis_url):
    db = await fresh_database(template=await migrated_template("gateway"))
    district = f"test-{uuid.uuid4().hex[:8]}"  # the store's keys are named by the installation
    async with gateways(2, db, amqp_url, bus_names, token_mint, rate_limit_storage_url=redis_url,
                        district=district, writes_per_minute=6) as [first, second]:
        for i in range(20):  # ten failed logins at each process, from one address
            r = await (first, second)[i % 2].client.post("/api/v1/auth/token",
                                                          json={"email": f"guess{i}@example.ru"} | WRONG)
            assert r.status_code == 401, r.text
        for gateway in (first, second):
            r = await gateway.client.post("/api/v1/auth/token", json={"email": "a@example.ru"} | WRONG)
            assert r.status_code == 429 and int(r.headers["retry-after"]) > 0, "the 21st, at either process"

        codes = [(await (first, second)[i % 2].client.post("/api/v1/providers", json={})).status_code
                 for i in range(8)]
        assert codes[:6] == [502] * 6 and codes[6:] == [429, 429], "six writes a minute in all, not six each"

        store = redis.asyncio.Redis.from_url(redis_url)
        try:
            keys = [k async for k in store.scan_iter(match=f"*pfdo:{district}*")]
            assert keys, "the windows live in the shared store"
            for key in keys:
                assert 0 < await store.ttl(key) <= 900, "each key expires with its window"
        finally:
            await store.delete(*keys)
            await store.aclose()
