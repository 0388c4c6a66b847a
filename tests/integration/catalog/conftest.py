from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from pfdo_events import Envelope
from pfdo_events.certificates import AgreementUsageChanged
from pfdo_events.registry import STATUS_EVENTS, AgreementChanged, ProviderSnapshot
from pfdo_kit.bus.names import BusNames
from pfdo_kit.clock import Clock
from services.catalog.app import create_app
from services.catalog.models import AgreementCopy, AgreementUsage, Provider
from services.catalog.settings import CatalogSettings
from tests.support.service_app import RunningService, publish, running_service, test_settings
from tests.support.waiting import eventually

SEARCH_FIGURES = pytest.StashKey[dict]()


@pytest.fixture
def search_figures(request) -> dict:
    """Where the relevance suite leaves its figures for the run's summary."""
    return request.config.stash.setdefault(SEARCH_FIGURES, {})


def pytest_terminal_summary(terminalreporter, config) -> None:
    """The relevance suite's figures at the end of every run that measured them (capture or not)."""
    figures = config.stash.get(SEARCH_FIGURES, None)
    if not figures or "overall" not in figures:
        return
    write = terminalreporter.write_line
    overall = figures["overall"]
    terminalreporter.section("catalog search relevance")
    write(f"{figures['queries']} judged queries over {figures['programs']} generated programs: "
          f"recall@10 {overall['recall@10']:.3f}, nDCG@10 {overall['ndcg@10']:.3f}")
    for kind, (recall, ndcg, n) in figures["by kind"].items():
        write(f"  {kind:<20} {n:>3} queries  recall@10 {recall:.3f}  nDCG@10 {ndcg:.3f}")
    for miss in figures["misses"]:
        write(f"  below full recall: {miss}")


@pytest_asyncio.fixture(loop_scope="session")
async def catalog(fresh_database, migrated_template, amqp_url, bus_names, token_mint) -> AsyncIterator[RunningService]:
    url = await fresh_database(template=await migrated_template("services.catalog"))
    settings = test_settings(CatalogSettings, url, amqp_url, bus_names, token_mint)
    async with running_service(create_app, settings, token_mint, bus_names, "catalog.#") as service:
        yield service


def _names(svc: RunningService) -> BusNames:
    s = svc.settings
    return BusNames(s.bus_exchange, s.bus_queue_prefix, s.bus_queue_expires_ms)


async def announce_agreement(svc: RunningService, provider_id: uuid.UUID, municipality: str = "chegem",
                             year: int | None = None, limit_kop: int | None = None, active: bool = True) -> None:
    """Publish the registry's news of an agreement (this year's by default) and wait for the catalog's copy."""
    year = year or Clock().today().year
    news = AgreementChanged(provider_id=provider_id, municipality=municipality, year=year, number=f"С-{municipality}",
                            signed_on=f"{year}-01-15", limit_kop=limit_kop, active=active)
    await publish(svc.settings.amqp_url, _names(svc), Envelope.wrap(news, district="test-district"))

    async def taken_in() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            copy = await session.get(AgreementCopy, (provider_id, municipality, year))
            return copy is not None and (copy.limit_kop, copy.active) == (limit_kop, active)
    await eventually(taken_in, timeout_s=60, what=f"the agreement with {municipality} reaching the catalog")


async def announce_usage(svc: RunningService, provider_id: uuid.UUID, used_kop: int, municipality: str = "chegem",
                         year: int | None = None, limit_kop: int | None = None) -> None:
    """Publish the certificates service's news of how much of an agreement is used, and wait for it."""
    year = year or Clock().today().year
    news = AgreementUsageChanged(provider_id=provider_id, municipality=municipality, year=year, limit_kop=limit_kop,
                                 used_kop=used_kop)
    await publish(svc.settings.amqp_url, _names(svc), Envelope.wrap(news, district="test-district"))

    async def taken_in() -> bool:
        async with svc.app.state.runtime.sessions() as session:
            usage = await session.get(AgreementUsage, (provider_id, municipality, year))
            return usage is not None and usage.used_kop == used_kop
    await eventually(taken_in, timeout_s=60, what=f"the usage of the agreement with {municipality}")


async def announce_provider(svc: RunningService, status: str = "approved", provider_id: uuid.UUID | None = None,
                            municipality: str = "chegem", name: str = "ДДТ «Радуга»",
                            agreements_with: tuple[str, ...] = ("chegem",)) -> uuid.UUID:
    """Publish what the registry would, and wait until the catalog has taken it in. A new approved
    provider also gets this year's agreements with `agreements_with` (payers), without a limit."""
    new = provider_id is None
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
    if new and status == "approved":
        for payer in agreements_with:
            await announce_agreement(svc, provider_id, payer)
    return provider_id
