"""A consumer's copy of another service's object, kept from its events: insert it, or update it
unless the copy already holds a newer event (a late or redelivered older event changes nothing)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.dialects.postgresql import Insert, insert


def newest_copy(table: type, key: dict[str, Any], values: dict[str, Any], at: datetime,
                stamp: str = "event_at") -> Insert:
    """The upsert statement (execute it; add `.returning(...)` to learn whether it changed anything).
    `key`: the copy's unique columns; `values`: the rest; `stamp`: the column holding the event's time."""
    values = {**values, stamp: at}
    return insert(table).values(**key, **values).on_conflict_do_update(
        index_elements=list(key), set_=values, where=getattr(table, stamp) <= at)
