"""Search's own connection pool, for its reads only: each statement is one round trip — no
transaction, no ping before it, no reset after it — prepared once per connection. Through the
ORM's session a search also paid a ping, BEGIN and ROLLBACK, and its SQL's parameters were
parsed again on every request; on the platform's hottest read that was most of the Python.

The pool opens with the service (`hold` runs as one of its background tasks) and closes with
it. Statements keep their `:name` parameters (so they read like the rest of the catalog's SQL)
and are turned into asyncpg's `$n` once per distinct text."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from functools import lru_cache

import asyncpg

from pfdo_kit.db import PLANNER_SETTINGS, asyncpg_dsn
from pfdo_kit.runtime import ServiceRuntime

NAMED = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
# Each statement's shape is planned once per connection, not for every request's values: its
# plan is the same for any words or filter values (a GIN scan for the words, the listing index
# for the filters), and PostgreSQL spent about as long planning a search as running it.
SEARCH_SETTINGS = {**PLANNER_SETTINGS, "plan_cache_mode": "force_generic_plan"}
LOST = (asyncpg.ConnectionDoesNotExistError, asyncpg.InterfaceError, ConnectionError)


@lru_cache(maxsize=4096)
def positional(sql: str) -> tuple[str, tuple[str, ...]]:
    """`:name` parameters as `$1`, `$2`… and the names in that order."""
    names: list[str] = []

    def number(m: re.Match) -> str:
        if m.group(1) not in names:
            names.append(m.group(1))
        return f"${names.index(m.group(1)) + 1}"
    return NAMED.sub(number, sql), tuple(names)


class SearchReads:
    def __init__(self, size: int) -> None:
        self.size = size
        self._pool: asyncpg.Pool | None = None
        self._open = asyncio.Event()

    async def hold(self, runtime: ServiceRuntime) -> None:
        """Open the pool and keep it until the service stops."""
        self._pool = await asyncpg.create_pool(
            asyncpg_dsn(runtime.settings.database_url), min_size=1, max_size=self.size,
            server_settings=SEARCH_SETTINGS, reset=_nothing_to_reset)
        self._open.set()
        try:
            await asyncio.Event().wait()
        finally:
            self._open.clear()
            await self._pool.close()

    async def rows(self, sql: str, params: Mapping[str, object]) -> list[asyncpg.Record]:
        text, names = positional(sql)
        args = [params[n] for n in names]
        await self._open.wait()
        try:
            return await self._pool.fetch(text, *args)
        except LOST:  # a connection the server dropped (a restart): once more, on a fresh one
            return await self._pool.fetch(text, *args)

    async def value(self, sql: str, params: Mapping[str, object]) -> object:
        found = await self.rows(sql, params)
        return found[0][0] if found else None


async def _nothing_to_reset(connection: asyncpg.Connection) -> None:
    """Search only reads, and sets nothing a later borrower could inherit."""
