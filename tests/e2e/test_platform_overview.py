"""The admin's overview of the platform (GET /api/v1/admin/platform) against every service running as
its own process: it reads the services, their outboxes and the broker when asked — a poison message
put into a dead-letter queue shows with its count, a stopped service shows not ready — and nobody
but the region's staff may see it."""
from __future__ import annotations

import aio_pika
import pytest

from deploy.api_client import Api
from tests.support.people import register, status_of
from tests.support.waiting import eventually

pytestmark = pytest.mark.timeout(300)
SERVICES = ["registry", "certificates", "catalog", "billing", "notifications", "gateway"]


async def _poison(amqp_url: str, queue: str, count: int) -> None:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        for n in range(count):
            await channel.default_exchange.publish(
                aio_pika.Message(b"{not json", message_id=f"poison-{n}"), routing_key=queue)


async def test_overview_reads_the_real_sources_and_is_for_the_region_only(platform, amqp_url):
    public = Api(platform.gateway_url)
    admin = await public.login(platform.admin_email, platform.admin_password)
    parent = await register(public, "mama@pfdo-overview.ru")
    assert await status_of(parent, "GET", "/admin/platform") == 403
    assert await status_of(public, "GET", "/admin/platform", auth=False) == 401

    first = await admin.call("GET", "/admin/platform")
    assert first["checked_at"]
    by_name = {s["service"]: s for s in first["services"]}
    assert [s["service"] for s in first["services"]] == SERVICES
    for name, s in by_name.items():
        assert (s["ready"], s["broker"], s["error"]) == (True, "ok", None), (name, s)
        assert s["outbox_unsent"] >= 0
    catalog_dlqs = [d["queue"] for d in by_name["catalog"]["dead_letters"]]
    assert catalog_dlqs and all(q.endswith(".dlq") and d["messages"] == 0
                                for q, d in zip(catalog_dlqs, by_name["catalog"]["dead_letters"]))
    assert by_name["registry"]["dead_letters"] == [] or all(d["messages"] == 0
                                                            for d in by_name["registry"]["dead_letters"])

    poisoned = catalog_dlqs[0]
    await _poison(amqp_url, poisoned, 3)
    seen: dict = {}

    async def counted() -> bool:
        seen.update(await admin.call("GET", "/admin/platform"))
        catalog = next(s for s in seen["services"] if s["service"] == "catalog")
        return {d["queue"]: d["messages"] for d in catalog["dead_letters"]}.get(poisoned) == 3
    await eventually(counted, timeout_s=30, what=f"3 messages counted in {poisoned}")
    others = [d for s in seen["services"] for d in s["dead_letters"] if d["queue"] != poisoned]
    assert others and all(d["messages"] == 0 for d in others)

    platform.stop("billing")
    after = {s["service"]: s for s in (await admin.call("GET", "/admin/platform"))["services"]}
    assert (after["billing"]["ready"], after["billing"]["broker"], after["billing"]["dead_letters"]) == (
        False, "down", [])
    assert after["billing"]["error"]
    assert all(after[name]["ready"] for name in SERVICES if name != "billing")
    catalog = {d["queue"]: d["messages"] for d in after["catalog"]["dead_letters"]}
    assert catalog[poisoned] == 3
