"""Billing's Alembic migrations build exactly what the models describe, and take a one-district
database (the schema before regions, filled) into one payer municipality with nothing lost."""
from __future__ import annotations

import asyncio
import uuid
from datetime import date

import asyncpg
import pytest

from pfdo_kit.db import asyncpg_dsn
from pfdo_kit.migrations import upgrade
from services.billing.models import metadata
from tests.integration.billing.conftest import start_billing
from tests.support.municipalities import TEST_MUNICIPALITIES_JSON
from tests.support.pdf import pdf_text
from tests.support.schema import schema_drift

BEFORE_REGIONS = "0002"
PROVIDER, OTHER_PROVIDER = uuid.UUID(int=11), uuid.UUID(int=12)
ANNA, BORIS = uuid.UUID(int=21), uuid.UUID(int=22)


async def test_migrated_schema_matches_the_models(fresh_database, migrated_template):
    url = await fresh_database(template=await migrated_template("services.billing"))
    assert await schema_drift(url, metadata) == ([], 1)


async def test_the_pdfs_are_stored_out_of_line_without_compression(fresh_database, migrated_template):
    """Already compressed: TOAST's attempt to compress them again only cost the server CPU."""
    url = await fresh_database(template=await migrated_template("services.billing"))
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        storage = dict(await conn.fetch(
            "SELECT attrelid::regclass::text, attstorage::text FROM pg_attribute"
            " WHERE attname = 'pdf' AND attrelid IN ('offer_renderings'::regclass, 'contract_documents'::regclass)"))
    finally:
        await conn.close()
    assert storage == {"offer_renderings": "e", "contract_documents": "e"}


async def _previous_schema(fresh_database) -> str:
    url = await fresh_database()
    await asyncio.to_thread(upgrade, "services.billing", url, BEFORE_REGIONS)
    return url


async def _fill_one_district(url: str, municipalities: tuple[str, str] = ("chegem", "chegem")) -> None:
    """What a district left: two providers (one with the district's payment agreement), two signed
    contracts, September closed and invoiced, an advance taken, October's close under way."""
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        await conn.execute("""
            INSERT INTO providers_copy (id, status, short_name, municipality, has_payment_agreement, event_at)
            VALUES ($1, 'approved', 'ДЮСШ «Старт»', 'chegem', true, now()),
                   ($2, 'approved', 'Кванториум', 'chegem', false, now())""", PROVIDER, OTHER_PROVIDER)
        for contract, number, provider, municipality in ((ANNA, "ДС-2026-000001", PROVIDER, municipalities[0]),
                                                         (BORIS, "ДС-2026-000002", OTHER_PROVIDER, municipalities[1])):
            await conn.execute("""
                INSERT INTO contracts (id, number, status, owner, municipality, child_id, certificate_id, provider_id,
                                       provider_name, program_id, program_title, group_id, program_register,
                                       starts_on, ends_on, weekly_schedule, first_month, last_month, reserved_kop,
                                       charged_kop, signed_on, signed_by)
                VALUES ($1, $2, 'signed', 'parent-' || $2, $3, gen_random_uuid(), gen_random_uuid(), $4, 'ДЮСШ',
                        gen_random_uuid(), 'Шахматы', gen_random_uuid(), 'certified', '2026-09-01', '2026-10-31',
                        '[{"weekday": 1, "starts_at": "15:00", "minutes": 45}]', '2026-09', '2026-10', 60000, 30000,
                        '2026-09-01', 'parent')""", contract, number, municipality, provider)
            await conn.execute("""
                INSERT INTO contract_months (contract_id, month, certificate_kop, copay_kop, planned_lessons)
                VALUES ($1, '2026-09', 30000, 0, 4), ($1, '2026-10', 30000, 0, 4)""", contract)
            await conn.execute("""
                INSERT INTO attendance (contract_id, lesson_date, present, group_id, marked_by)
                VALUES ($1, '2026-09-01', true, gen_random_uuid(), 'provider:x')""", contract)
        await conn.execute("""
            INSERT INTO month_closes (month, status, rule, requested_by, charges_count, charges_kop, batches_posted,
                                      confirmed_count, invoices_count, closed_at)
            VALUES ('2026-09', 'closed', 'full_month', 'operator:x', 2, 60000, 1, 2, 2, now()),
                   ('2026-10', 'posted', 'full_month', 'operator:x', 0, 0, 0, 0, 0, NULL)""")
        await conn.execute("""
            INSERT INTO charges (month, contract_id, certificate_id, provider_id, share_kop, planned_lessons,
                                 attended_lessons, amount_kop, release_kop, final, batch_id, debited_kop,
                                 shortfall_kop, released_kop, confirmed_at)
            SELECT '2026-09', id, certificate_id, provider_id, 30000, 4, 1, 30000, 0, false, gen_random_uuid(),
                   30000, 0, 0, now() FROM contracts""")
        await conn.execute("""
            INSERT INTO advances (id, provider_id, month, amount_kop, limit_kop, requested_by)
            VALUES (gen_random_uuid(), $1, '2026-09', 40000, 48000, 'provider:x')""", PROVIDER)
        await conn.execute("""
            INSERT INTO invoices (number, provider_id, provider_name, municipality, month, charges_kop, advance_kop,
                                  carried_in_kop, settlement_kop)
            VALUES ('СЧ-2026-09-000001', $1, 'ДЮСШ «Старт»', 'chegem', '2026-09', 30000, 40000, 0, -10000),
                   ('СЧ-2026-09-000002', $2, 'Кванториум', 'chegem', '2026-09', 30000, 0, 0, 30000)""",
                           PROVIDER, OTHER_PROVIDER)
    finally:
        await conn.close()


async def test_a_districts_data_becomes_its_municipalitys_with_nothing_lost(
        fresh_database, monkeypatch, amqp_url, bus_names, token_mint):
    url = await _previous_schema(fresh_database)
    await _fill_one_district(url)
    monkeypatch.setenv("BILLING_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)
    await asyncio.to_thread(upgrade, "services.billing", url)
    assert await schema_drift(url, metadata) == ([], 1)

    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        assert [tuple(r) for r in await conn.fetch(
            "SELECT number, payer, period_year FROM contracts ORDER BY number")] == [
            ("ДС-2026-000001", "chegem", 2026), ("ДС-2026-000002", "chegem", 2026)]
        assert [tuple(r) for r in await conn.fetch(
            "SELECT month, municipality, status FROM month_closes ORDER BY month")] == [
            ("2026-09", "chegem", "closed"), ("2026-10", "chegem", "posted")]
        assert await conn.fetchval("SELECT count(*) FROM charges WHERE payer = 'chegem' AND debited_kop = 30000") == 2
        assert [tuple(r) for r in await conn.fetch(
            "SELECT number, payer, settlement_kop FROM invoices ORDER BY number")] == [
            ("СЧ-2026-09-000001", "chegem", -10000), ("СЧ-2026-09-000002", "chegem", 30000)]
        assert [tuple(r) for r in await conn.fetch("SELECT payer, amount_kop, limit_kop FROM advance_parts")] == [
            ("chegem", 40000, 48000)]
        # the district's payment agreement is the payer's for the year of the provider's contracts
        assert [tuple(r) for r in await conn.fetch(
            "SELECT provider_id, municipality, year, active, limit_kop FROM agreements_copy")] == [
            (PROVIDER, "chegem", 2026, True, None)]
    finally:
        await conn.close()

    async with start_billing(url, amqp_url, bus_names, token_mint, close_poll_interval_s=3600) as bill:
        operator = bill.tokens.headers("operator", municipality="chegem")
        september = await bill.client.get("/api/v1/municipalities/chegem/months/2026-09", headers=operator)
        assert september.status_code == 200 and september.json()["status"] == "closed"
        invoices = (await bill.client.get("/api/v1/invoices", params={"month": "2026-09"}, headers=operator)).json()
        assert [(i["payer"], i["charges_kop"]) for i in invoices["items"]] == [("chegem", 30000), ("chegem", 30000)]
        staff = bill.tokens.headers("provider", provider_id=PROVIDER)
        [invoice] = (await bill.client.get("/api/v1/invoices", headers=staff)).json()["items"]
        lines = (await bill.client.get(f"/api/v1/invoices/{invoice['id']}", headers=staff)).json()["lines"]
        assert [line["contract_number"] for line in lines] == ["ДС-2026-000001"]
        [advance] = (await bill.client.get("/api/v1/advances", headers=operator)).json()["items"]
        assert advance["amount_kop"] == 40000 and advance["parts"] == [
            {"payer": "chegem", "amount_kop": 40000, "limit_kop": 48000}]
        foreign = bill.tokens.headers("operator", municipality="baksan")
        assert (await bill.client.get("/api/v1/invoices", headers=foreign)).json()["items"] == []

        # Signed before contract documents: no offer was stored to serve; ending it now keeps its
        # notice, which says «не указано» for the parties billing was never told of.
        family, path = bill.tokens.headers("parent", subject="parent-ДС-2026-000001"), f"/api/v1/contracts/{ANNA}"
        assert (await bill.client.get(path + "/offer", headers=family)).status_code == 404
        bill.app.state.clock.pin(date(2026, 10, 20))
        ended = await bill.client.post(path + "/terminate", headers=family,
                                       json={"terminated_on": "2026-10-25", "reason": "Переезд"})
        assert ended.status_code == 200, ended.text
        notice = await bill.client.get(path + "/termination-notice", headers=family)
        text = pdf_text(notice.content)
        assert "ДС-2026-000001" in text and "не указано" in text and "списано 300,00" in text


async def test_several_municipalities_stop_the_migration_unless_the_legacy_one_is_named(fresh_database, monkeypatch):
    url = await _previous_schema(fresh_database)
    await _fill_one_district(url, municipalities=("chegem", "baksan"))
    monkeypatch.setenv("BILLING_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)
    monkeypatch.delenv("BILLING_LEGACY_MUNICIPALITY", raising=False)
    with pytest.raises(Exception, match="BILLING_LEGACY_MUNICIPALITY") as stopped:
        await asyncio.to_thread(upgrade, "services.billing", url)
    assert "baksan, chegem" in str(stopped.value)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:  # nothing changed: the migration's transaction rolled back whole
        assert await conn.fetchval("SELECT version_num FROM alembic_version") == BEFORE_REGIONS
    finally:
        await conn.close()

    monkeypatch.setenv("BILLING_LEGACY_MUNICIPALITY", "neftekumsk-typo")
    with pytest.raises(Exception, match="not among"):
        await asyncio.to_thread(upgrade, "services.billing", url)
    monkeypatch.setenv("BILLING_LEGACY_MUNICIPALITY", "baksan")
    await asyncio.to_thread(upgrade, "services.billing", url)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        assert {r["payer"] for r in await conn.fetch("SELECT payer FROM contracts")} == {"baksan"}
        assert await conn.fetchval("SELECT count(*) FROM month_closes WHERE municipality = 'baksan'") == 2
        assert await conn.fetchval("SELECT count(*) FROM invoices WHERE payer = 'baksan'") == 2
    finally:
        await conn.close()


async def test_a_database_without_contracts_takes_the_first_configured_municipality(fresh_database, monkeypatch):
    url = await _previous_schema(fresh_database)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:  # a close asked for a month without any contract
        await conn.execute("INSERT INTO month_closes (month, status, rule, requested_by, closed_at) "
                           "VALUES ('2026-09', 'closed', 'full_month', 'operator:x', now())")
    finally:
        await conn.close()
    monkeypatch.setenv("BILLING_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)
    monkeypatch.delenv("BILLING_LEGACY_MUNICIPALITY", raising=False)
    await asyncio.to_thread(upgrade, "services.billing", url)
    conn = await asyncpg.connect(asyncpg_dsn(url))
    try:
        assert [tuple(r) for r in await conn.fetch("SELECT month, municipality FROM month_closes")] == [
            ("2026-09", "chegem")]
    finally:
        await conn.close()
