
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from gateway.app import create_app as create_gateway
from gateway.settings import GatewaySettings
from pfdo_kit.settings import load_settings
from services.registry.settings import RegistrySettings
from tests.support.municipalities import TEST_MUNICIPALITIES_JSON


def test_missing_required_settings_stop_the_service_naming_each(monkeypatch, capsys):
    for name in ("REGISTRY_DATABASE_URL", "REGISTRY_AMQP_URL", "REGISTRY_DISTRICT", "REGISTRY_MUNICIPALITIES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGISTRY_AMQP_URL", "amqp://guest:guest@127.0.0.1/")
    with pytest.raises(SystemExit) as stop:
        load_settings(RegistrySettings)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "REGISTRY_DATABASE_URL: is required but not set" in err
    assert "REGISTRY_DISTRICT: is required but not set" in err
    assert "REGISTRY_MUNICIPALITIES: is required but not set" in err
    assert "REGISTRY_AMQP_URL" not in err


def test_settings_come_from_the_service_prefix(monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("REGISTRY_AMQP_URL", "amqp://h/")
    monkeypatch.setenv("REGISTRY_DISTRICT", "chegem")
    monkeypatch.setenv("REGISTRY_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)
    monkeypatch.setenv("REGISTRY_BUS_RETRY_DELAYS_MS", "[10, 20]")
    s = load_settings(RegistrySettings)
    assert (s.database_url, s.district, s.bus_retry_delays_ms, s.port) == ("postgresql://u@h/db", "chegem", [10, 20], 8001)


def test_the_gateway_has_one_clock_from_its_settings(monkeypatch):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    for name, value in {"DATABASE_URL": "postgresql://u@h/db", "AMQP_URL": "amqp://h/", "DISTRICT": "chegem",
                        "MUNICIPALITIES": TEST_MUNICIPALITIES_JSON, "SIGNING_KEY_PEM": key, "TIMEZONE": "Asia/Yekaterinburg"}.items():
        monkeypatch.setenv("GATEWAY_" + name, value)
    clock = create_gateway(load_settings(GatewaySettings)).state.clock
    assert str(clock.zone) == "Asia/Yekaterinburg" and not clock.pinned
    # Tokens are checked against real time by every service: the gateway's day cannot be pinned.
    monkeypatch.setenv("GATEWAY_CLOCK_DATE", "2026-09-02")
    with pytest.raises(SystemExit):
        load_settings(GatewaySettings)


def test_municipalities_are_configured_entities_with_unique_codes(monkeypatch, capsys):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("REGISTRY_AMQP_URL", "amqp://h/")
    monkeypatch.setenv("REGISTRY_DISTRICT", "chegem")
    monkeypatch.setenv("REGISTRY_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)
    assert [m.code for m in load_settings(RegistrySettings).municipalities] == ["chegem", "baksan", "neftekumsk"]
    for bad in ('[]', '[{"code": "chegem", "name": "Ч", "oktmo": "83645000"}, {"code": "chegem", "name": "Б", '
                '"oktmo": "83605000"}]', '[{"code": "chegem", "name": "Ч", "oktmo": "836"}]'):
        monkeypatch.setenv("REGISTRY_MUNICIPALITIES", bad)
        with pytest.raises(SystemExit):
            load_settings(RegistrySettings)
        assert "REGISTRY_MUNICIPALITIES" in capsys.readouterr().err
