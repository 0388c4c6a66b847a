"""Announcing every row of a kind again (a backfill command): batches, each its own transaction
into the outbox, until a batch comes back short; the running service's relay publishes them."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.db import make_engine, make_sessions
from pfdo_kit.outbox import Outbox
from pfdo_kit.settings import ServiceSettings

# (session, outbox, after: the last key announced or None, size) → (how many, the last key)
AnnounceBatch = Callable[[AsyncSession, Outbox, Any, int], Awaitable[tuple[int, Any]]]


async def announce_everything(settings: ServiceSettings, outbox_table: Table, announce_batch: AnnounceBatch,
                              batch: int = 500) -> int:
    """How many rows were announced."""
    engine = make_engine(settings.database_url, pool_size=1, max_overflow=0)
    sessions, outbox = make_sessions(engine), Outbox(outbox_table, settings.district)
    announced, after = 0, None
    try:
        while True:
            async with sessions() as session, session.begin():
                count, after = await announce_batch(session, outbox, after, batch)
            announced += count
            if count < batch:
                return announced
    finally:
        await engine.dispose()
