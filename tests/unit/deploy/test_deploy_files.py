"""The deployment files agree with each other and with the code: every process is in the
compose file and the Helm chart, each region's rules and municipalities are the same in its
configuration file, its Helm values and its compose env file. (`docker compose config` and
`helm lint` need tools this CI machine lacks.)"""
import json
from pathlib import Path

import pytest
import yaml

from deploy import region_files
from deploy.cli import agreement_of, provider_body
from deploy.local.services import SERVICES
from deploy.region_config import region

DEPLOY = Path(__file__).parents[3] / "deploy"
REGIONS = ["kbr", "stavropol"]


def test_the_regions_are_the_shipped_region_files():
    assert sorted(p.stem for p in (DEPLOY / "regions").glob("*.yaml")) == REGIONS
    assert not (DEPLOY / "districts").exists()
    assert sorted(p.name for p in (DEPLOY / "helm" / "pfdo").glob("values-*.yaml")) == [
        f"values-{r}.yaml" for r in REGIONS]
    assert sorted(p.name for p in (DEPLOY / "compose").glob("*.env")) == [f"{r}.env" for r in REGIONS]


@pytest.mark.parametrize("code", REGIONS)
def test_each_region_has_one_valid_configuration_and_matching_helm_values(code):
    config = region(code)
    values = yaml.safe_load((DEPLOY / "helm" / "pfdo" / f"values-{code}.yaml").read_text(encoding="utf-8"))
    assert config.code == values["region"] == code and "district" not in values
    assert values["rules"] == config.service_env()
    assert values["ingress"]["host"]


@pytest.mark.parametrize("code", REGIONS)
def test_each_region_s_compose_env_file_carries_its_whole_environment(code):
    config = region(code)
    assert _env_file(DEPLOY / "compose" / f"{code}.env") == config.installation_env()


def test_the_written_files_are_what_the_region_files_write():
    """`python -m deploy.cli region-files --check` in CI terms: nobody edited a generated file by hand."""
    assert region_files.stale() == []


def test_the_chart_names_the_region_not_a_district():
    chart = DEPLOY / "helm" / "pfdo"
    assert "region" in yaml.safe_load((chart / "values.yaml").read_text()) and "district" not in yaml.safe_load(
        (chart / "values.yaml").read_text())
    helpers = (chart / "templates" / "_helpers.tpl").read_text()
    assert ".Values.region" in helpers and ".Values.district" not in helpers


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


def test_a_csv_row_becomes_a_provider_application_and_its_payer_s_agreement():
    row = {"kind": "individual_entrepreneur", "full_name": "ИП Кудаев", "inn": "070000000000", "municipality": "chegem",
           "teaches_alone": "да", "venue_title": "Студия", "venue_address": "г. Чегем", "kpp": "",
           "agreement_number": "С-17", "agreement_date": "2025-12-20"}
    body = provider_body(row)
    assert body["teaches_alone"] is True and body["kpp"] is None
    assert body["venues"] == [{"title": "Студия", "address": "г. Чегем"}]
    assert "agreement_number" not in body and "agreement_municipality" not in body
    assert agreement_of(row) == ("chegem", 2025, {"number": "С-17", "signed_on": "2025-12-20", "limit_kop": None,
                                                  "active": True})
    other = row | {"agreement_municipality": "baksan", "agreement_year": "2026", "agreement_limit_kop": "5000000"}
    assert agreement_of(other) == ("baksan", 2026, {"number": "С-17", "signed_on": "2025-12-20",
                                                    "limit_kop": 5_000_000, "active": True})
    assert agreement_of(row | {"agreement_number": ""}) is None


def _env_file(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line.strip() and not line.startswith("#"))


def test_the_compose_deployment_carries_every_rule_of_its_region():
    """It once passed no calendar at all: the region's extra days off never reached billing or the catalog.
    Every process and the migration read the region's env file (PFDO_REGION, kbr by default), and
    nothing in the compose file names a region or a district of its own."""
    text = (DEPLOY / "compose" / "docker-compose.yml").read_text()
    compose = yaml.safe_load(text)["services"]
    for name in [s.name for s in SERVICES] + ["migrate"]:
        assert compose[name]["env_file"] == ["${PFDO_REGION:-kbr}.env"], name
        assert not any(key.endswith("_DISTRICT") for key in compose[name]["environment"]), name
    assert "chegem" not in text and (DEPLOY / "compose" / "kbr.env").exists()
    env = _env_file(DEPLOY / "compose" / "kbr.env")
    for prefix in ("REGISTRY", "CERTIFICATES", "CATALOG", "BILLING", "NOTIFICATIONS", "GATEWAY"):
        assert env[f"{prefix}_DISTRICT"] == "kbr"
        assert [m["code"] for m in json.loads(env[f"{prefix}_MUNICIPALITIES"])] == ["chegem", "baksan"]


def test_the_rules_reach_the_services_settings_by_their_names(monkeypatch):
    """The environment names the configuration writes are the ones the services read."""
    from datetime import date

    from services.billing.settings import BillingSettings
    from services.catalog.settings import CatalogSettings

    config = region("kbr")
    config = config.model_copy(update={"rules": config.rules.model_copy(
        update={"extra_days_off": [date(2026, 9, 1)], "extra_working_days": [date(2026, 9, 5)]})})
    for key, value in config.service_env().items():
        monkeypatch.setenv(key, value)
    for cls, prefix in ((BillingSettings, "BILLING"), (CatalogSettings, "CATALOG")):
        settings = cls(database_url="postgresql://x/y", amqp_url="amqp://x", district="kbr")
        assert settings.extra_days_off == [date(2026, 9, 1)], prefix
        assert settings.extra_working_days == [date(2026, 9, 5)], prefix
        assert settings.municipalities == config.entities, prefix
        assert [m.code for m in settings.municipalities] == ["chegem", "baksan"], prefix


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


def test_the_local_platform_mails_its_sink_and_links_to_its_navigator():
    from deploy.local.processes import PlatformConfig

    config = PlatformConfig({s.name: f"postgresql://x/{s.name}" for s in SERVICES}, "amqp://x", "kbr", "", "",
                            mail_port=8025)
    [notifications] = [s for s in SERVICES if s.name == "notifications"]
    env = config.env(notifications)
    assert (env["NOTIFICATIONS_SMTP_HOST"], env["NOTIFICATIONS_SMTP_PORT"], env["NOTIFICATIONS_SMTP_TLS"]) == (
        "127.0.0.1", "8025", "none")
    assert env["NOTIFICATIONS_PUBLIC_BASE_URL"] == "http://127.0.0.1:8080" and env["NOTIFICATIONS_PORT"] == "8005"
    [gateway] = [s for s in SERVICES if s.name == "gateway"]
    assert config.env(gateway)["GATEWAY_NOTIFICATIONS_URL"] == "http://127.0.0.1:8005"
    assert not config.runs_navigator and "GATEWAY_TRUSTED_PROXIES" not in config.env(gateway)
    with_pages = PlatformConfig(config.database_urls, "amqp://x", "kbr", "", "", navigator_secret="s" * 40)
    assert with_pages.runs_navigator and with_pages.env(gateway)["GATEWAY_TRUSTED_PROXIES"] == '["127.0.0.1"]'
    assert with_pages.navigator_env()["NAVIGATOR_GATEWAY_URL"] == "http://127.0.0.1:8000"
    assert with_pages.navigator_env()["NAVIGATOR_PORT"] == "8080"
