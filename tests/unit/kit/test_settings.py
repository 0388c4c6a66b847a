import pytest

from services.registry.settings import RegistrySettings
from pfdo_kit.settings import load_settings


def test_missing_required_settings_stop_the_service_naming_each(monkeypatch, capsys):
    for name in ("REGISTRY_DATABASE_URL", "REGISTRY_AMQP_URL", "REGISTRY_DISTRICT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REGISTRY_AMQP_URL", "amqp://guest:guest@127.0.0.1/")
    with pytest.raises(SystemExit) as stop:
        load_settings(RegistrySettings)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "REGISTRY_DATABASE_URL: is required but not set" in err
    assert "REGISTRY_DISTRICT: is required but not set" in err
    assert "REGISTRY_AMQP_URL" not in err


def test_settings_come_from_the_service_prefix(monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", "postgresql://u@h/db")
    monkeypatch.setenv("REGISTRY_AMQP_URL", "amqp://h/")
    monkeypatch.setenv("REGISTRY_DISTRICT", "chegem")
    monkeypatch.setenv("REGISTRY_BUS_RETRY_DELAYS_MS", "[10, 20]")
    s = load_settings(RegistrySettings)
    assert (s.database_url, s.district, s.bus_retry_delays_ms, s.port) == ("postgresql://u@h/db", "chegem", [10, 20], 8001)
