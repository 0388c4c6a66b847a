from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest_asyncio

from pfdo_events import Envelope
from pfdo_events.registry import STATUS_EVENTS, ProviderSnapshot
from pfdo_kit.bus.names import BusNames
from services.catalog.app import create_app
from services.catalog.models import Provider
from services.catalog.settings import CatalogSettings
from tests.support.service_app import RunningService, publish, running_service, test_settings
from tests.support.waiting import eventually


@pytest_asyncio.fixture(loop_scope="session")
async def catalog(fresh_database, migrated_template, amqp_url, bus_names, token_mint) -> AsyncIterator[RunningService]:
    url = await fresh_database(template=await migrated_template("services.catalog"))
    settings = test_settings(CatalogSettings, url, amqp_url, bus_names, token_mint)
    async with running_service(create_app, settings, token_mint, bus_names, "catalog.#") as service:
        yield service


async def announce_provider(svc: RunningService, status: str = "approved", provider_id: uuid.UUID | None = None,
                            municipality: str = "chegem", name: str = "ДДТ «Радуга»") -> uuid.UUID:
    """Publish what the registry would, and wait until the catalog has taken it in."""
    provider_id = provider_id or uuid.uuid4()
    event_status = {"reinstated": "approved"}.get(status, status)
    snapshot = ProviderSnapshot(provider_id=provider_id, status=event_status, kind="municipal", short_name=name,
                                inn="0700000000", municipality=municipality)
    envelope = Envelope.wrap(STATUS_EVENTS[status](provider=snapshot, actor="operator:test"), district="test-district")
    s = svc.settings
    await publish(s.amqp_url, BusNames(s.bus_exchange, s.bus_queue_prefix, s.bus_queue_expires_ms), envelope)

    async def taken_in() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            p = await session.get(Provider, provider_id)
            return p is not None and p.status == event_status
    await eventually(taken_in, timeout_s=60, what=f"provider {status} reaching the catalog")
    return provider_id
