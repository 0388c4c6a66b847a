"""/metrics, /health, /docs and /openapi.json answer inside the installation only: a direct caller from
the internal networks, or the region's staff by token (through the ingress too); anybody else 404."""
from __future__ import annotations

import httpx

from services.registry.app import create_app as create_registry
from services.registry.settings import RegistrySettings
from tests.support.service_app import running_service
from tests.support.service_app import test_settings as service_settings

INTERNALS = ["/metrics", "/health/live", "/health/ready", "/docs", "/openapi.json"]


def _from(app, address: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url="http://r")


async def _codes(client: httpx.AsyncClient, **kwargs) -> list[int]:
    return [(await client.get(path, **kwargs)).status_code for path in INTERNALS]


async def test_internals_answer_inside_or_to_the_region_s_staff_only(fresh_database, migrated_template, amqp_url,
                                                                    bus_names, token_mint):
    db = await fresh_database(template=await migrated_template("services.registry"))
    settings = service_settings(RegistrySettings, db, amqp_url, bus_names, token_mint,
                             trusted_proxies=["10.42.0.0/16"], internal_networks=["127.0.0.0/8", "10.42.0.0/16"])
    async with running_service(create_registry, settings, token_mint, bus_names, "registry.#") as registry:
        app = registry.app
        async with _from(app, "127.0.0.1") as host, _from(app, "10.42.3.4") as prometheus:
            assert await _codes(host) == [200] * 5, "an operator on the host"
            assert await _codes(prometheus) == [200] * 5, "Prometheus and the probes inside the cluster"
        async with _from(app, "10.42.0.7") as ingress, _from(app, "203.0.113.9") as outsider:
            visitor = {"X-Forwarded-For": "203.0.113.9"}
            assert await _codes(ingress, headers=visitor) == [404] * 5, "what the ingress forwards is outside"
            assert await _codes(outsider) == [404] * 5
            for role in ("parent", "provider", "operator"):
                assert await _codes(outsider, headers=token_mint.headers(role)) == [404] * 5, role
            for role in ("admin", "regional_operator"):
                assert await _codes(ingress, headers=visitor | token_mint.headers(role)) == [200] * 5, role
            answer = await outsider.get("/metrics")
            assert answer.headers["content-type"] == "application/problem+json" and "pfdo_" not in answer.text
            # the API itself is not an internal
            assert (await outsider.get("/api/v1/providers")).status_code == 200
