"""How many database connections each process holds: one formula for the installation.

    share       = DB_CONNECTION_BUDGET // DB_PROCESSES        (what each process may hold at most)
    engine pool = share − 1 (the outbox relay's LISTEN) − the service's own extra connections

DB_CONNECTION_BUDGET is what the installation's processes may hold on the server altogether
(PostgreSQL's max_connections, 100 by default, less its superuser_reserved_connections and room for
operators, migrations and backups: 90 by default; behind PgBouncer, what the bouncer admits).
DB_PROCESSES is how many processes share it: Σ over the gateway and every service of replicas × uvicorn
workers (6 for `make run`: one each). Both are the installation's, set once as PFDO_DB_CONNECTION_BUDGET
and PFDO_DB_PROCESSES (a service's own <PREFIX>_DB_... overrides them); <PREFIX>_DB_POOL_SIZE, when set,
replaces the formula's pool for that service. The pool is fixed (no overflow): a rush waits for a
connection instead of opening more. A service whose share cannot hold its fixed connections and one
pooled connection refuses to start."""
from __future__ import annotations

import os

BUDGET_ENV, PROCESSES_ENV = "PFDO_DB_CONNECTION_BUDGET", "PFDO_DB_PROCESSES"
DEFAULT_BUDGET, DEFAULT_PROCESSES = 90, 6
LISTEN_CONNECTIONS = 1  # the outbox relay's LISTEN (pfdo_kit/relay.py)


def installation_wide(data: dict) -> dict:
    """Fill the budget and the process count from the installation's PFDO_ variables unless the service
    names its own."""
    for field, env in (("db_connection_budget", BUDGET_ENV), ("db_processes", PROCESSES_ENV)):
        if field not in data and os.environ.get(env):
            data = {**data, field: os.environ[env]}
    return data


def share(budget: int, processes: int) -> int:
    return budget // processes


def engine_pool(budget: int, processes: int, extra: int = 0) -> int:
    """The SQLAlchemy pool left once the LISTEN connection and the service's `extra` ones are counted."""
    return share(budget, processes) - LISTEN_CONNECTIONS - extra
