"""The deployment files agree with each other and with the code: every process is in the
compose file and the Helm chart, each district's rules are the same in its configuration file
and its Helm values. (`docker compose config` and `helm lint` need tools this CI machine lacks.)"""
from pathlib import Path

import pytest
import yaml

from deploy.cli import provider_body
from deploy.district_config import load
from deploy.local.services import SERVICES

DEPLOY = Path(__file__).parents[3] / "deploy"
DISTRICTS = ["chegem", "neftekumsk"]


@pytest.mark.parametrize("district", DISTRICTS)
def test_each_district_has_one_valid_configuration_and_matching_helm_values(district):
    config = load(DEPLOY / "districts" / f"{district}.yaml")
    values = yaml.safe_load((DEPLOY / "helm" / "pfdo" / f"values-{district}.yaml").read_text(encoding="utf-8"))
    assert config.code == values["district"] == district
    assert values["rules"] == config.service_env()


def test_the_chart_and_the_compose_file_run_every_process():
    chart = yaml.safe_load((DEPLOY / "helm" / "pfdo" / "values.yaml").read_text())
    assert {n: (s["module"], s["port"]) for n, s in chart["services"].items()} == {
        s.name: (s.package, s.port) for s in SERVICES}
    compose = yaml.safe_load((DEPLOY / "compose" / "docker-compose.yml").read_text())["services"]
    for s in SERVICES:
        service = compose[s.name]
        assert s.package in service["command"]
        assert "healthcheck" in service and str(s.port) == service["environment"]["PORT"]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert f"python -m {s.package} migrate" in compose["migrate"]["command"]
    assert "healthcheck" in compose["postgres"] and "healthcheck" in compose["rabbitmq"]


def test_a_csv_row_becomes_a_provider_application():
    body = provider_body({"kind": "individual_entrepreneur", "full_name": "ИП Кудаев", "inn": "070000000000",
                          "teaches_alone": "да", "venue_title": "Студия", "venue_address": "г. Чегем", "kpp": ""})
    assert body["teaches_alone"] is True and body["kpp"] is None
    assert body["venues"] == [{"title": "Студия", "address": "г. Чегем"}]


def _env_file(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_compose_deployment_carries_every_rule_of_its_district():
    """It once passed no calendar at all: the region's extra days off never reached billing or the catalog."""
    config = load(DEPLOY / "districts" / "chegem.yaml")
    assert _env_file(DEPLOY / "compose" / "chegem.env") == {"PFDO_DISTRICT": "chegem", **config.service_env()}
    compose = yaml.safe_load((DEPLOY / "compose" / "docker-compose.yml").read_text())["services"]
    for s in SERVICES:
        assert "chegem.env" in compose[s.name]["env_file"]


def test_the_rules_reach_the_services_settings_by_their_names(monkeypatch):
    """The environment names the configuration writes are the ones the services read."""
    from datetime import date

    from services.billing.settings import BillingSettings
    from services.catalog.settings import CatalogSettings

    config = load(DEPLOY / "districts" / "chegem.yaml")
    config = config.model_copy(update={"rules": config.rules.model_copy(
        update={"extra_days_off": [date(2026, 9, 1)], "extra_working_days": [date(2026, 9, 5)]})})
    for key, value in config.service_env().items():
        monkeypatch.setenv(key, value)
    for cls, prefix in ((BillingSettings, "BILLING"), (CatalogSettings, "CATALOG")):
        settings = cls(database_url="postgresql://x/y", amqp_url="amqp://x", district="chegem")
        assert settings.extra_days_off == [date(2026, 9, 1)], prefix
        assert settings.extra_working_days == [date(2026, 9, 5)], prefix
        assert settings.municipalities == config.municipalities, prefix


def test_every_service_has_its_database_and_notifications_its_mail_server():
    created = (DEPLOY / "compose" / "initdb" / "01-databases.sql").read_text()
    compose = yaml.safe_load((DEPLOY / "compose" / "docker-compose.yml").read_text())["services"]
    for s in SERVICES:
        assert f"CREATE DATABASE {s.name};" in created
        assert f"{s.env_prefix}DATABASE_URL" in compose["migrate"]["environment"]
        if s.name != "gateway":
            assert compose["gateway"]["environment"][f"GATEWAY_{s.name.upper()}_URL"] == f"http://{s.name}:{s.port}"
    mail = compose["notifications"]["environment"]
    assert {"NOTIFICATIONS_SMTP_HOST", "NOTIFICATIONS_SMTP_PORT", "NOTIFICATIONS_SMTP_TLS",
            "NOTIFICATIONS_MAIL_FROM_ADDRESS", "NOTIFICATIONS_PUBLIC_BASE_URL"} <= set(mail)
    helpers = (DEPLOY / "helm" / "pfdo" / "templates" / "_helpers.tpl").read_text()
    assert "NOTIFICATIONS_SMTP_HOST" in helpers and "NOTIFICATIONS_PUBLIC_BASE_URL" in helpers


def test_the_local_platform_mails_its_sink_and_links_to_its_gateway():
    from deploy.local.processes import PlatformConfig

    config = PlatformConfig({s.name: f"postgresql://x/{s.name}" for s in SERVICES}, "amqp://x", "chegem", "", "",
                            mail_port=8025)
    [notifications] = [s for s in SERVICES if s.name == "notifications"]
    env = config.env(notifications)
    assert (env["NOTIFICATIONS_SMTP_HOST"], env["NOTIFICATIONS_SMTP_PORT"], env["NOTIFICATIONS_SMTP_TLS"]) == (
        "127.0.0.1", "8025", "none")
    assert env["NOTIFICATIONS_PUBLIC_BASE_URL"] == "http://127.0.0.1:8000" and env["NOTIFICATIONS_PORT"] == "8005"
    [gateway] = [s for s in SERVICES if s.name == "gateway"]
    assert config.env(gateway)["GATEWAY_NOTIFICATIONS_URL"] == "http://127.0.0.1:8005"
