"""The region model: a region's rules are one set, each municipality a payer with its own code,
name, OKTMO and funding period; a bad file is refused before anything reaches the API, and
what the file says reaches every process by the names its settings read."""
from __future__ import annotations

import copy
import json
from datetime import date

import pytest
import yaml
from pydantic import ValidationError

from deploy.region_config import REGIONS, RegionConfig, region
from gateway.settings import GatewaySettings
from pfdo_kit.municipalities import Municipality
from services.billing.settings import BillingSettings
from services.catalog.settings import CatalogSettings
from services.certificates.settings import CertificatesSettings
from services.notifications.settings import NotificationsSettings
from services.registry.settings import RegistrySettings

SETTINGS = [RegistrySettings, CertificatesSettings, CatalogSettings, BillingSettings, NotificationsSettings,
            GatewaySettings]


def raw(code: str = "kbr") -> dict:
    return yaml.safe_load((REGIONS / f"{code}.yaml").read_text(encoding="utf-8"))


def test_the_shipped_regions_and_their_municipalities():
    kbr, stavropol = region("kbr"), region("stavropol")
    assert (kbr.name, [m.name for m in kbr.municipalities]) == (
        "Кабардино-Балкарская Республика", ["Чегемский муниципальный район", "Баксанский муниципальный район"])
    assert (stavropol.name, stavropol.municipalities[0].name) == (
        "Ставропольский край", "Нефтекумский городской округ")
    assert len(stavropol.municipalities) >= 2
    for config, subject in ((kbr, "83"), (stavropol, "07")):
        assert {m.oktmo[:2] for m in config.municipalities} == {subject}
        for m in config.municipalities:  # each its own period, within its year
            assert m.period.starts_on.year == m.period.ends_on.year == m.period.year
            assert m.period.budget_cap_kop > 0 and m.period.funded_quota > 0
    # the periods are each municipality's own, not copies of one
    assert kbr.municipality("chegem").period != kbr.municipality("baksan").period


def test_every_process_gets_the_municipalities_the_time_zone_and_the_rules():
    config = region("kbr")
    env = config.service_env()
    expected = [{"code": "chegem", "name": "Чегемский муниципальный район", "oktmo": "83645000"},
                {"code": "baksan", "name": "Баксанский муниципальный район", "oktmo": "83610000"}]
    for prefix in ("REGISTRY", "CERTIFICATES", "CATALOG", "BILLING", "NOTIFICATIONS", "GATEWAY"):
        assert json.loads(env[f"{prefix}_MUNICIPALITIES"]) == expected  # code, name, OKTMO: never the period
        assert env[f"{prefix}_TIMEZONE"] == "Europe/Moscow"
    assert env["CERTIFICATES_NUMBER_PREFIX"] == "07" and env["BILLING_DELIVERED_RULE"] == "attended_share"
    assert env["BILLING_ADVANCE_PERCENT"] == "80" and env["CATALOG_OFFER_HOURS"] == "48"
    assert config.installation_env() == {**{f"{p}_DISTRICT": "kbr" for p in (
        "REGISTRY", "CERTIFICATES", "CATALOG", "BILLING", "NOTIFICATIONS", "GATEWAY")}, **env}


@pytest.mark.parametrize("code", ["kbr", "stavropol"])
def test_every_process_starts_with_the_region_s_environment(code, monkeypatch):
    """Each variable the region writes is one its process reads (no misspelt name silently ignored)."""
    config = region(code)
    for key, value in config.installation_env().items():
        monkeypatch.setenv(key, value)
    for cls in SETTINGS:
        prefix = cls.model_config["env_prefix"]
        extra = {"signing_key_pem": "x"} if cls is GatewaySettings else {}
        settings = cls(database_url="postgresql://x/y", amqp_url="amqp://x", **extra)
        assert settings.district == code and settings.municipalities == config.entities
        assert str(settings.timezone) == config.timezone
        for key in config.installation_env():
            if key.startswith(prefix):
                assert key.removeprefix(prefix).lower() in cls.model_fields, key


def test_the_certificates_rules_reach_the_certificates_settings(monkeypatch):
    config = region("stavropol")
    for key, value in config.service_env().items():
        monkeypatch.setenv(key, value)
    settings = CertificatesSettings(database_url="postgresql://x/y", amqp_url="amqp://x", district="stavropol")
    assert (settings.number_prefix, settings.min_age, settings.max_age) == ("26", 5, 17)


@pytest.mark.parametrize("code", ["kbr", "stavropol"])
def test_the_region_s_document_templates_and_dispute_window_reach_billing(code, monkeypatch):
    config = region(code)
    for key, value in config.installation_env().items():
        monkeypatch.setenv(key, value)
    settings = BillingSettings(database_url="postgresql://x/y", amqp_url="amqp://x")
    assert (settings.offer_template, settings.termination_template, settings.dispute_window_days) == (
        f"{code}/offer-v1", f"{code}/termination-v1", 30)


@pytest.mark.parametrize("change, words", [
    (lambda r: r["municipalities"].append(copy.deepcopy(r["municipalities"][0])), "repeat"),
    (lambda r: r["municipalities"][1].update(oktmo=r["municipalities"][0]["oktmo"]), "OKTMO codes repeat"),
    (lambda r: r["municipalities"][1].update(oktmo="07543000"), "different regions"),
    (lambda r: r["municipalities"][1].update(oktmo="8361"), "oktmo"),
    (lambda r: r["municipalities"][1].update(code="Баксан"), "code"),
    (lambda r: r["municipalities"][1].pop("period"), "period"),
    (lambda r: r["municipalities"][1]["period"].update(year=2027), "within its year"),
    (lambda r: r["municipalities"][1]["period"].update(budget_cap_kop=-1), "budget_cap_kop"),
    (lambda r: r["municipalities"][1]["period"].update(nominals=[]), "nominals"),
    (lambda r: r.update(municipalities=[]), "municipalities"),
    (lambda r: r.update(timezone="Europe/Nalchik"), "time zone"),
    (lambda r: r["rules"].update(certificate_number_prefix="7"), "certificate_number_prefix"),
    (lambda r: r["rules"].update(delivered_rule="whatever"), "delivered_rule"),
    (lambda r: r["rules"].update(advance_percent=120), "advance_percent"),
    (lambda r: r["rules"].update(nominal_kop=1), "nominal_kop"),  # a misspelt or misplaced key
    (lambda r: r["municipalities"][0].update(budget_cap_kop=1), "budget_cap_kop"),  # outside its period
    (lambda r: r.update(period=r["municipalities"][0]["period"]), "period"),  # the old district-wide period
    (lambda r: r["rules"].update(offer_template="kbr/offer-v7"), "kbr/offer-v7 is not released"),
    (lambda r: r["rules"].update(termination_template="kbr/termination"), "termination_template"),
    (lambda r: r["rules"].update(dispute_window_days=0), "dispute_window_days"),
])
def test_a_bad_region_file_is_refused_naming_what_is_wrong(change, words):
    bad = raw()
    change(bad)
    with pytest.raises(ValidationError) as refused:
        RegionConfig.model_validate(bad)
    assert words in str(refused.value)


def test_a_municipality_is_found_by_its_code_and_an_unknown_one_named():
    config = region("kbr")
    assert config.municipality("baksan").entity() == Municipality(
        code="baksan", name="Баксанский муниципальный район", oktmo="83610000")
    with pytest.raises(KeyError, match="nalchik"):
        config.municipality("nalchik")


def test_the_period_s_body_is_what_the_api_takes():
    body = region("kbr").municipality("chegem").period.api_body()
    assert set(body) == {"starts_on", "ends_on", "nominals", "funded_quota", "free_limits", "budget_cap_kop"}
    assert body["starts_on"] == date(2026, 1, 1).isoformat()
