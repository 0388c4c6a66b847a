"""PostgreSQL's connection limit holds for the whole platform, in compose and in Helm: the processes'
pools (workers × replicas × per process) stay under what the pooler accepts, and the pooler's server
connections plus the direct ones stay under max_connections. Issue 22: compose reached 99 and Helm
154 against PostgreSQL's 100, with no pooler."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from deploy.capacity import per_process
from deploy.local.services import SERVICES
from tests.support.helm_chart import region_values, render

COMPOSE = Path(__file__).parents[3] / "deploy" / "compose" / "docker-compose.yml"
# Direct connections besides the pooler's: the migrate step (before the services start), a backup
# (deploy/backup, one database at a time) and an operator's psql sessions.
DIRECT = 1 + 1 + 3


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def _workers(command) -> int:
    text = " ".join(command) if isinstance(command, list) else command
    found = re.search(r"--workers\s+(\d+)", text)
    return int(found.group(1)) if found else 1


def _postgres_option(command: list[str], name: str) -> int:
    return int(next(c.split("=", 1)[1] for c in command if c.startswith(f"{name}=")))


def test_compose_processes_stay_under_pgbouncer_and_pgbouncer_under_postgres():
    compose = _compose()
    clients = sum(_workers(compose[s.name]["command"]) * per_process(s.name, compose[s.name]["environment"])
                  for s in SERVICES)
    pgbouncer = compose["pgbouncer"]["environment"]
    assert clients <= int(pgbouncer["MAX_CLIENT_CONN"]), clients
    assert clients == 127  # the arithmetic in docker-compose.yml's header and README "Operations"
    postgres = compose["postgres"]["command"]
    databases = len(SERVICES)
    server = databases * int(pgbouncer["MAX_DB_CONNECTIONS"]) + DIRECT
    limit = _postgres_option(postgres, "max_connections") - _postgres_option(postgres, "superuser_reserved_connections")
    assert server <= limit, (server, limit)
    assert int(pgbouncer["DEFAULT_POOL_SIZE"]) <= int(pgbouncer["MAX_DB_CONNECTIONS"])


def test_every_compose_service_reaches_postgres_through_pgbouncer_in_transaction_mode():
    compose = _compose()
    for s in SERVICES:
        url = compose[s.name]["environment"][f"{s.env_prefix}DATABASE_URL"]
        assert "@pgbouncer:" in url and url.endswith(f"/{s.name}"), s.name
        assert compose[s.name]["depends_on"]["pgbouncer"] == {"condition": "service_healthy"}, s.name
        assert "@postgres:" in compose["migrate"]["environment"][f"{s.env_prefix}DATABASE_URL"]
    pgbouncer = compose["pgbouncer"]["environment"]
    assert pgbouncer["POOL_MODE"] == "transaction"
    # asyncpg prepares every statement: without this a transaction pooler mixes them up between clients
    assert int(pgbouncer["MAX_PREPARED_STATEMENTS"]) > 0
    ignored = set(pgbouncer["IGNORE_STARTUP_PARAMETERS"].split(","))
    from pfdo_kit.db import PLANNER_SETTINGS
    from services.catalog.queries.reads import SEARCH_SETTINGS

    assert set(PLANNER_SETTINGS) | set(SEARCH_SETTINGS) <= ignored  # else PgBouncer refuses the connection
    planner = (COMPOSE.parent / "initdb" / "02-planner-settings.sql").read_text()
    for s in SERVICES:
        for name, value in PLANNER_SETTINGS.items():
            assert f"ALTER DATABASE {s.name} SET {name} = {value};" in planner


def test_helm_processes_stay_under_the_pooler_s_limit():
    for region in ("kbr", "stavropol"):
        values = region_values(region)
        deployments = {o["metadata"]["name"]: o for o in render(values) if o["kind"] == "Deployment"}
        total = 0
        for s in SERVICES:
            d = deployments[f"pfdo-{s.name}"]
            container = d["spec"]["template"]["spec"]["containers"][0]
            env = {e["name"]: e["value"] for e in container["env"] if "value" in e}
            total += d["spec"]["replicas"] * _workers(container["args"]) * per_process(s.name, env)
        assert total <= values.get("database", {}).get("maxClientConnections", 200), total
        assert total + DIRECT <= 100 - 3  # even straight to a default PostgreSQL (no pooler) it fits
