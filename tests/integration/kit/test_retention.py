"""The retention job: sent outbox rows, inbox rows and Idempotency-Key answers past their days go, in
batches; unsent outbox rows and everything younger stay; every service runs the job."""
from __future__ import annotations

import uuid

from sqlalchemy import text

from pfdo_kit.db import make_engine
from pfdo_kit.retention import kept_rows, purge
from services.billing.app import create_app as create_billing
from services.billing.models import messaging as billing_tables
from services.billing.settings import BillingSettings
from services.registry.models import messaging as registry_tables
from tests.support.service_app import running_service
from tests.support.service_app import test_settings as service_settings
from tests.support.waiting import eventually


async def _fill(conn, table: str, ages_days: list[int], **extra) -> None:
    for age in ages_days:
        stamp = f"now() - make_interval(days => {age}, mins => 1)"
        if table == "outbox":
            sent = stamp if extra.get("sent", True) else "NULL"
            await conn.execute(text(
                f"INSERT INTO outbox (event_id, routing_key, envelope, created_at, sent_at) "
                f"VALUES (:id, 'x.y.z.v1', '{{}}', {stamp}, {sent})"), {"id": uuid.uuid4()})
        elif table == "inbox":
            await conn.execute(text(f"INSERT INTO inbox (consumer, event_id, event_type, processed_at) "
                                    f"VALUES ('c', :id, 'x.y.z.v1', {stamp})"), {"id": uuid.uuid4()})
        else:
            await conn.execute(text(f"INSERT INTO idempotency_keys (subject, key, method, path, created_at) "
                                    f"VALUES ('s', :key, 'POST', '/p', {stamp})"), {"key": uuid.uuid4().hex})


async def _count(conn, sql: str) -> int:
    return (await conn.execute(text(sql))).scalar_one()


async def test_old_rows_go_in_batches_and_unsent_or_young_ones_stay(fresh_database, migrated_template):
    engine = make_engine(await fresh_database(template=await migrated_template("services.billing")))
    try:
        async with engine.begin() as conn:
            await _fill(conn, "outbox", [8] * 5 + [6])            # sent: 5 past 7 days, 1 within
            await _fill(conn, "outbox", [100, 100], sent=False)    # never sent: kept however old
            await _fill(conn, "inbox", [31] * 3 + [29])
            await _fill(conn, "idempotency_keys", [15] * 4 + [13])
        settings = BillingSettings.model_construct(outbox_retention_days=7, inbox_retention_days=30,
                                                   idempotency_retention_days=14)
        deleted = await purge(engine, kept_rows(billing_tables, settings), batch_size=2)
        assert deleted == {"outbox": 5, "inbox": 3, "idempotency_keys": 4}
        async with engine.connect() as conn:
            assert await _count(conn, "SELECT count(*) FROM outbox WHERE sent_at IS NOT NULL") == 1
            assert await _count(conn, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 2
            assert await _count(conn, "SELECT count(*) FROM inbox") == 1
            assert await _count(conn, "SELECT count(*) FROM idempotency_keys") == 1
        assert await purge(engine, kept_rows(billing_tables, settings), batch_size=2) == {
            "outbox": 0, "inbox": 0, "idempotency_keys": 0}
    finally:
        await engine.dispose()


def test_a_service_without_idempotency_keys_keeps_outbox_and_inbox_only():
    settings = BillingSettings.model_construct(outbox_retention_days=7, inbox_retention_days=30,
                                               idempotency_retention_days=14)
    assert [k.table.name for k in kept_rows(registry_tables, settings)] == ["outbox", "inbox"]
    assert [k.table.name for k in kept_rows(billing_tables, settings)] == ["outbox", "inbox", "idempotency_keys"]


async def test_every_service_runs_the_job(fresh_database, migrated_template, amqp_url, bus_names, token_mint):
    db = await fresh_database(template=await migrated_template("services.billing"))
    engine = make_engine(db)
    async with engine.begin() as conn:
        await _fill(conn, "inbox", [2])
    await engine.dispose()
    settings = service_settings(BillingSettings, db, amqp_url, bus_names, token_mint, inbox_retention_days=1)
    async with running_service(create_billing, settings, token_mint, bus_names, "billing.#") as billing:
        assert "run_retention" in [t.get_name() for t in billing.app.state.runtime._background_tasks]
        async def gone() -> bool:
            async with billing.app.state.runtime.engine.connect() as conn:
                return await _count(conn, "SELECT count(*) FROM inbox WHERE consumer = 'c'") == 0
        await eventually(gone, timeout_s=10, what="the old inbox row deleted at start")
