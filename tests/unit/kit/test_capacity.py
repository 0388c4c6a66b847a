"""One formula for the database connections: each process's share of the installation's budget, its
pool what the share leaves; the whole installation never holds more than the budget."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from deploy.local.services import SERVICES
from gateway.settings import GatewaySettings
from pfdo_kit.settings import ServiceSettings
from services.billing.settings import BillingSettings
from services.catalog.settings import CatalogSettings
from services.certificates.settings import CertificatesSettings
from services.notifications.settings import NotificationsSettings
from services.registry.settings import RegistrySettings
from tests.support.municipalities import TEST_MUNICIPALITIES

CLASSES = [RegistrySettings, CertificatesSettings, CatalogSettings, BillingSettings, NotificationsSettings,
           GatewaySettings]
REQUIRED = dict(database_url="postgresql://x/y", amqp_url="amqp://x", district="d", municipalities=TEST_MUNICIPALITIES)


def _settings(cls: type[ServiceSettings], **kw) -> ServiceSettings:
    extra = {"signing_key_pem": "unused"} if cls is GatewaySettings else {}
    return cls(**REQUIRED, **extra, **kw)


@pytest.mark.parametrize("budget,workers,replicas", [(90, 1, 1), (90, 2, 1), (90, 2, 2), (400, 2, 2), (40, 2, 1)])
def test_the_installation_holds_at_most_its_budget(budget, workers, replicas, monkeypatch):
    processes = len(CLASSES) * workers * replicas
    monkeypatch.setenv("PFDO_DB_CONNECTION_BUDGET", str(budget))
    monkeypatch.setenv("PFDO_DB_PROCESSES", str(processes))
    held = sum(_settings(cls).db_connections_per_process() * workers * replicas for cls in CLASSES)
    assert held <= budget
    assert held > budget - processes, "the budget is used, not wasted (at most one connection a process left over)"


def test_make_run_s_defaults_hold_the_default_budget():
    assert len(SERVICES) == 6 and sum(_settings(cls).db_connections_per_process() for cls in CLASSES) == 90
    assert _settings(RegistrySettings).engine_pool_size() == 14
    catalog = _settings(CatalogSettings)
    assert (catalog.search_pool(), catalog.engine_pool_size()) == (7, 7)
    assert _settings(BillingSettings).engine_pool_size() == 13  # its month-close LISTEN counted


def test_a_service_s_own_setting_overrides_the_installation_s(monkeypatch):
    monkeypatch.setenv("PFDO_DB_PROCESSES", "12")
    assert _settings(RegistrySettings).engine_pool_size() == 6
    monkeypatch.setenv("REGISTRY_DB_PROCESSES", "6")
    assert _settings(RegistrySettings).engine_pool_size() == 14
    assert _settings(RegistrySettings, db_pool_size=3).engine_pool_size() == 3


def test_a_share_too_small_for_the_fixed_connections_refuses_to_start():
    with pytest.raises(ValidationError, match="needs at least 3"):
        _settings(CatalogSettings, db_connection_budget=90, db_processes=45)
    assert _settings(RegistrySettings, db_connection_budget=90, db_processes=45).engine_pool_size() == 1
