"""The compose file against the compose specification's JSON schema (as vendored by
check-jsonschema; `docker compose config` needs Docker, which CI lacks), and what a region's IT
needs of it: TLS in front with only that published, the Navigator and a Redis for the gateway's
shared throttle, the internal paths not routed, every container's log rotated."""
from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import check_jsonschema
import jsonschema
import pytest
import yaml

from deploy.local.services import SERVICES

COMPOSE_DIR = Path(__file__).parents[3] / "deploy" / "compose"
SPEC = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / "compose-spec.json"


def _compose() -> dict:
    return yaml.safe_load((COMPOSE_DIR / "docker-compose.yml").read_text())


def _errors(doc: dict) -> list[str]:
    schema = json.loads(SPEC.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_the_compose_file_meets_the_compose_specification():
    assert _errors(_compose()) == []


def test_the_specification_check_refuses_a_broken_file():
    broken = copy.deepcopy(_compose())
    broken["services"]["gateway"]["restart_policy"] = "always"  # not a service key
    broken["services"]["redis"]["depends_on"] = "gateway"  # a list or a mapping
    errors = _errors(broken)
    assert any(e.startswith("services/gateway") and "restart_policy" in e for e in errors)
    assert any(e.startswith("services/redis/depends_on") for e in errors)


def test_every_container_s_log_is_rotated():
    for name, service in _compose()["services"].items():
        logging = service.get("logging", {})
        assert logging.get("driver") == "json-file", name
        assert re.fullmatch(r"\d+m", logging["options"]["max-size"]) and int(logging["options"]["max-file"]) >= 2, name


def test_only_the_tls_front_is_published_and_it_routes_pages_and_api():
    services = _compose()["services"]
    published = {name: s["ports"] for name, s in services.items() if s.get("ports")}
    assert published == {"caddy": ["80:80", "443:443"]}
    caddyfile = (COMPOSE_DIR / "caddy" / "Caddyfile").read_text()
    assert "tls {$PFDO_TLS}" in caddyfile and services["caddy"]["environment"]["PFDO_TLS"] == "${PFDO_TLS:-internal}"
    route = caddyfile[caddyfile.index("route {"):]
    lines = [line.strip() for line in route.splitlines()[1:] if line.strip() and line.strip() != "}"]
    internal = lines[0].split()[2:]
    assert {"/health", "/health/*", "/metrics", "/docs", "/docs/*", "/openapi.json"} <= set(internal)
    # in a route the order holds: the internal paths answered 404 before anything is proxied
    assert lines[1:] == ["respond @internal 404", "reverse_proxy /api/* gateway:8000",
                         "reverse_proxy navigator:8080"]


def test_the_navigator_and_the_shared_throttle_run():
    services = _compose()["services"]
    navigator = services["navigator"]
    assert navigator["command"][:4] == ["python", "-m", "navigator", "serve"]
    env = navigator["environment"]
    assert env["NAVIGATOR_GATEWAY_URL"] == "http://gateway:8000" and env["NAVIGATOR_SESSION_SECRET"].startswith(
        "${NAVIGATOR_SESSION_SECRET:?")
    gateway = services["gateway"]["environment"]
    assert gateway["GATEWAY_RATE_LIMIT_STORAGE_URL"] == "redis://redis:6379/0"
    assert services["gateway"]["depends_on"]["redis"] == {"condition": "service_healthy"}
    # the visitor's address is believed from the TLS front and the Navigator only, at their fixed addresses
    trusted = json.loads(gateway["GATEWAY_TRUSTED_PROXIES"].replace("${PFDO_SUBNET_PREFIX:-172.30.0}", "172.30.0"))
    fixed = {services[n]["networks"]["pfdo"]["ipv4_address"].replace("${PFDO_SUBNET_PREFIX:-172.30.0}", "172.30.0")
             for n in ("caddy", "navigator")}
    assert set(trusted) == fixed
    pages_trust = json.loads(navigator["environment"]["NAVIGATOR_TRUSTED_PROXIES"].replace(
        "${PFDO_SUBNET_PREFIX:-172.30.0}", "172.30.0"))
    assert pages_trust == ["172.30.0.10"]  # the TLS front only


@pytest.mark.parametrize("name", [s.name for s in SERVICES] + ["navigator"])
def test_the_processes_run_read_only_without_privileges(name):
    service = _compose()["services"][name]
    assert service["read_only"] is True and "/tmp" in service["tmpfs"]
    assert service["cap_drop"] == ["ALL"] and "no-new-privileges:true" in service["security_opt"]
    assert service["environment"]["PROMETHEUS_MULTIPROC_DIR"] in service["tmpfs"]
