"""How many PostgreSQL connections a deployment's processes open, from their environment: each
process keeps its pool (`<PREFIX>_DB_POOL_SIZE`), one connection for the outbox relay's LISTEN,
billing one more for the month close's LISTEN, the catalog its search pool
(`CATALOG_SEARCH_POOL_SIZE`). The compose file and the Helm chart are checked against their pooler's
and server's limits with it (tests/unit/deploy/test_capacity.py); README "Operations" shows the sums."""
from __future__ import annotations

from collections.abc import Mapping

# Connections a process opens besides its pools: LISTEN for the outbox relay (every service), and
# billing's month close.
LISTENERS = {"billing": 2}


def _default(name: str, field: str) -> int:
    if name == "catalog" and field == "search_pool_size":
        from services.catalog.settings import CatalogSettings

        return CatalogSettings.model_fields["search_pool_size"].default
    from pfdo_kit.settings import ServiceSettings

    return ServiceSettings.model_fields[field].default


def per_process(name: str, env: Mapping[str, str]) -> int:
    """Connections one process of service `name` (registry, catalog, …) opens at most."""
    prefix = name.upper() + "_"
    pool = int(env.get(f"{prefix}DB_POOL_SIZE", _default(name, "db_pool_size")))
    overflow = int(env.get(f"{prefix}DB_MAX_OVERFLOW", _default(name, "db_max_overflow")))
    total = pool + overflow + LISTENERS.get(name, 1)
    if name == "catalog":
        total += int(env.get("CATALOG_SEARCH_POOL_SIZE", _default(name, "search_pool_size")))
    return total
