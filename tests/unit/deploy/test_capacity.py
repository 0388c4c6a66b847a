"""PostgreSQL's connection limit holds for the whole platform, in compose and in Helm. Each process
holds at most PFDO_DB_CONNECTION_BUDGET // PFDO_DB_PROCESSES connections (pfdo_kit/capacity.py); here:
the deployments name as PFDO_DB_PROCESSES every process that may run at once, their budget fits what
the pooler admits, and the pooler's server connections plus the direct ones (migrations, a backup, an
operator) fit PostgreSQL's max_connections. Issue 22: compose reached 99 and Helm 154 against
PostgreSQL's 100, with no pooler."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from deploy.local.services import SERVICES
from tests.support.helm_chart import region_values, render

COMPOSE = Path(__file__).parents[3] / "deploy" / "compose" / "docker-compose.yml"
# Direct connections besides the processes': the migration (one at a time), a backup (deploy/backup, one
# database at a time) and an operator's psql sessions.
DIRECT = 1 + 1 + 3
# The fewest connections a process can run on: its pool's one, the relay's LISTEN, and billing's month-close
# LISTEN or the catalog's search pool.
SMALLEST_SHARE = 3


def _workers(command) -> int:
    text = " ".join(command) if isinstance(command, list) else command
    found = re.search(r"--workers\s+(\d+)", text)
    return int(found.group(1)) if found else 1


def _postgres_option(command: list[str], name: str) -> int:
    return int(next(c.split("=", 1)[1] for c in command if c.startswith(f"{name}=")))


def test_compose_processes_stay_under_pgbouncer_and_pgbouncer_under_postgres():
    compose = yaml.safe_load(COMPOSE.read_text())["services"]
    processes = sum(_workers(compose[s.name]["command"]) for s in SERVICES)
    for s in SERVICES:
        env = compose[s.name]["environment"]
        assert int(env["PFDO_DB_PROCESSES"]) == processes, s.name
        assert not any(k.endswith("_DB_POOL_SIZE") for k in env), s.name  # nobody outside the formula
    budget = int(compose[SERVICES[0].name]["environment"]["PFDO_DB_CONNECTION_BUDGET"])
    assert budget // processes >= SMALLEST_SHARE
    pgbouncer = compose["pgbouncer"]["environment"]
    assert budget <= int(pgbouncer["MAX_CLIENT_CONN"])
    postgres = compose["postgres"]["command"]
    server = len(SERVICES) * int(pgbouncer["MAX_DB_CONNECTIONS"]) + DIRECT
    limit = _postgres_option(postgres, "max_connections") - _postgres_option(postgres, "superuser_reserved_connections")
    assert server <= limit, (server, limit)
    assert int(pgbouncer["DEFAULT_POOL_SIZE"]) <= int(pgbouncer["MAX_DB_CONNECTIONS"])


def test_every_compose_service_reaches_postgres_through_pgbouncer_in_transaction_mode():
    compose = yaml.safe_load(COMPOSE.read_text())["services"]
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


def _helm_processes(values: dict) -> tuple[int, int, dict[str, dict]]:
    """(processes that may run at once, the budget, each service's env) from the rendered chart."""
    deployments = {o["metadata"]["name"]: o for o in render(values) if o["kind"] == "Deployment"}
    processes, envs = 0, {}
    for s in SERVICES:
        d = deployments[f"pfdo-{s.name}"]
        container = d["spec"]["template"]["spec"]["containers"][0]
        surge = d["spec"]["strategy"]["rollingUpdate"]["maxSurge"]
        processes += (d["spec"]["replicas"] + surge) * _workers(container["args"])
        envs[s.name] = {e["name"]: e["value"] for e in container["env"] if "value" in e}
    return processes, int(envs["gateway"]["PFDO_DB_CONNECTION_BUDGET"]), envs


def test_helm_processes_share_a_budget_postgres_can_hold_during_an_upgrade_too():
    for region in ("kbr", "stavropol"):
        processes, budget, envs = _helm_processes(region_values(region))
        for name, env in envs.items():
            assert int(env["PFDO_DB_PROCESSES"]) == processes, name
            assert int(env["PFDO_DB_CONNECTION_BUDGET"]) == budget, name
        assert budget // processes >= SMALLEST_SHARE
        assert budget + DIRECT <= 100 - 3  # straight to a default PostgreSQL (no pooler)


def test_a_larger_surge_or_more_replicas_are_counted():
    processes, _, envs = _helm_processes(region_values("kbr", rollout={"maxSurge": 1},
                                                       services={"catalog": {"replicas": 3}}))
    # one more pod of each service by the surge (times its workers: 2+1+2+2+1+1), and catalog's third replica (2)
    assert processes == 15 + 9 + 2
    assert all(int(env["PFDO_DB_PROCESSES"]) == processes for env in envs.values())
