"""A consumer's copy of another service's object, kept from its events: insert it, or update it
unless the copy already holds a newer event (a late or redelivered older event changes nothing)."""
from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.precompiled import Precompiled, bound, named


async def keep_newest(session: AsyncSession, table: type | Table, key: dict[str, Any], values: dict[str, Any],
                      at: datetime, stamp: str = "event_at", returning: tuple[str, ...] = ()) -> list:
    """Upsert the copy. `key`: its unique columns; `values`: the rest; `stamp`: the column holding the
    event's time; `returning`: columns to read back, as rows (none: a newer event was kept, nothing changed)."""
    statement = _upsert(table, tuple(key), tuple(values), stamp, returning)
    row = {**key, **values, stamp: at}
    params = named(row, "new_")
    if returning:
        return await statement.all(session, **params)
    await statement.run(session, **params)
    return []


@functools.cache
def _upsert(table: type | Table, key: tuple[str, ...], values: tuple[str, ...], stamp: str,
            returning: tuple[str, ...]) -> Precompiled:
    """Built once per shape, every value bound (a copy is kept for each event: building the statement
    each time cost more CPU than running it)."""
    t = getattr(table, "__table__", table)
    statement = insert(t).values(bound(t, (*key, *values, stamp), prefix="new_"))
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={column: statement.excluded[column] for column in (*values, stamp)},
        where=t.c[stamp] <= statement.excluded[stamp])
    return Precompiled(statement.returning(*(t.c[column] for column in returning)) if returning else statement)
