"""Retention of the kit's own rows, which otherwise only grow: outbox rows already sent, inbox rows (the
record that an event was acted on) and stored Idempotency-Key answers older than the settings' days.

A job in every process (`run_retention`, every `RETENTION_INTERVAL_S`) deletes them in batches of
`RETENTION_BATCH_SIZE`, each batch its own short transaction, rows taken with SKIP LOCKED so the
replicas share the work and never wait on each other or on the relay. An unsent outbox row is never
deleted, however old.

Ages are counted on the database's clock (`now()`), which stamped the rows, not on the service's clock:
that one may be pinned to another day (demos, tests) and would delete fresh rows or keep old ones.

Keep the inbox longer than any redelivery can arrive: a redelivered event whose inbox row is gone
would be acted on twice (the broker's retries take seconds; a dead letter replayed weeks later is the
case to think of)."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from prometheus_client import Counter
from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

RETENTION_DELETED = Counter("pfdo_retention_deleted_rows_total", "Rows deleted by the retention job", ["table"])


@dataclass(frozen=True)
class Kept:
    """Rows of `table` whose `stamp` is older than `days` (and that match `also`) go."""

    table: Table
    stamp: str
    days: int
    also: str = "TRUE"


def kept_rows(tables, settings) -> list[Kept]:
    """What the kit keeps in a service's database. The idempotency table, where a service has one, is
    found in the same metadata as its outbox."""
    kept = [Kept(tables.outbox, "sent_at", settings.outbox_retention_days, "sent_at IS NOT NULL"),
            Kept(tables.inbox, "processed_at", settings.inbox_retention_days)]
    if (idempotency := tables.outbox.metadata.tables.get("idempotency_keys")) is not None:
        kept.append(Kept(idempotency, "created_at", settings.idempotency_retention_days))
    return kept


async def purge(engine: AsyncEngine, kept: list[Kept], batch_size: int) -> dict[str, int]:
    """Delete what is past its days, batch by batch, until a batch comes back short. Rows deleted, by table."""
    deleted: dict[str, int] = {}
    for rule in kept:
        name = rule.table.name
        statement = text(
            f"DELETE FROM {name} WHERE ctid = ANY(ARRAY("
            f"SELECT ctid FROM {name} WHERE {rule.also} AND {rule.stamp} < now() - make_interval(days => :days) "
            f"LIMIT :batch FOR UPDATE SKIP LOCKED))")
        deleted[name] = 0
        while True:
            async with engine.begin() as conn:
                count = (await conn.execute(statement, {"days": rule.days, "batch": batch_size})).rowcount
            deleted[name] += count
            RETENTION_DELETED.labels(name).inc(count)
            if count < batch_size:
                break
    return deleted


async def run_retention(runtime) -> None:
    """The background job: purge at start, then every interval; a failed round is tried again next time."""
    s = runtime.settings
    kept = kept_rows(runtime.tables, s)
    while True:
        try:
            deleted = await purge(runtime.engine, kept, s.retention_batch_size)
            if any(deleted.values()):
                log.info("retention: old rows deleted", extra={"deleted": deleted})
        except Exception as exc:
            log.warning("retention round failed", extra={"error": repr(exc)})
        await asyncio.sleep(s.retention_interval_s)
