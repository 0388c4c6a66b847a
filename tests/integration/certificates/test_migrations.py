"""The certificates service's Alembic migrations build exactly what the models describe, and take a
single district's data into one municipality with nothing lost (tested on a database filled by
the previous schema)."""
from __future__ import annotations

import asyncio
import json
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from pfdo_kit.db import make_engine
from pfdo_kit.migrations import upgrade
from services.certificates.models import metadata
from tests.support.municipalities import TEST_MUNICIPALITIES_JSON
from tests.support.schema import schema_drift

PACKAGE = "services.certificates"
BEFORE = "0007"  # the single district's schema


async def test_migrated_schema_matches_the_models(fresh_database, migrated_template):
    url = await fresh_database(template=await migrated_template(PACKAGE))
    assert await schema_drift(url, metadata) == ([], 1)


@pytest.fixture
def no_configuration(monkeypatch):
    for name in ("CERTIFICATES_MUNICIPALITIES", "CERTIFICATES_LEGACY_MUNICIPALITY", "CERTIFICATES_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


async def _sql(url: str, *statements: tuple[str, dict] | str) -> list:
    engine = make_engine(url)
    out = []
    try:
        async with engine.begin() as conn:
            for statement in statements:
                sql, params = (statement, {}) if isinstance(statement, str) else statement
                result = await conn.execute(text(sql), params)
                out.append([tuple(r) for r in result] if result.returns_rows else None)
    finally:
        await engine.dispose()
    return out


async def _previous_district(fresh_database, municipalities: list[str]) -> tuple[str, dict]:
    """A database at the previous revision, filled as the single district left it: children and
    certificates of `municipalities`, this year's open period and last year's closed one, their
    runs, a close of adults over everything, the ledger and a reservation."""
    url = await fresh_database()
    await asyncio.to_thread(upgrade, PACKAGE, url, BEFORE)
    ids = {"contract": uuid.uuid4(), "run": uuid.uuid4(), "adults": uuid.uuid4(), "certs": []}
    statements: list = []
    for i, municipality in enumerate(municipalities):
        child, cert = uuid.uuid4(), uuid.uuid4()
        ids["certs"].append(cert)
        statements += [
            (("INSERT INTO children (id, owner, full_name, birth_date, snils, municipality, ovz) "
              "VALUES (:id, :owner, :name, '2016-03-01', :snils, :m, false)"),
             {"id": child, "owner": f"parent-{i}", "name": f"Ребёнок {i}", "snils": f"{i:011d}", "m": municipality}),
            (("INSERT INTO certificates (id, child_id, number, status, kind, municipality, credited_kop, expired_kop, "
              "held_kop, debited_kop, reversed_kop) VALUES (:id, :child, :number, 'active', 'funded', :m, "
              "15000000, 0, 0, 0, 0)"), {"id": cert, "child": child, "number": f"07{i:08d}", "m": municipality}),
            (("INSERT INTO ledger_entries (certificate_id, kind, amount_kop, cause) "
              "VALUES (:c, 'credit', 15000000, 'period:2025:credit')"), {"c": cert}),
        ]
    first = ids["certs"][0] if ids["certs"] else None
    if first is not None:
        statements += [
            ("UPDATE certificates SET held_kop = 400000 WHERE id = :c", {"c": first}),
            (("INSERT INTO ledger_entries (certificate_id, kind, amount_kop, cause, contract_id, at) "
              "VALUES (:c, 'reserve', 400000, :cause, :k, '2025-12-31 21:30:00+00')"),  # 1 January 2026 in Moscow
             {"c": first, "cause": f"application:{ids['contract']}", "k": ids["contract"]}),
            ("INSERT INTO reservations (contract_id, certificate_id, held_kop, debited_kop) VALUES (:k, :c, 400000, 0)",
             {"k": ids["contract"], "c": first}),
        ]
    for year, status in ((2025, "closed"), (2026, "open")):
        statements.append((
            ("INSERT INTO funding_periods (year, starts_on, ends_on, nominals, funded_quota, free_limits, "
             "budget_cap_kop, status) VALUES (:y, :s, :e, :n, 100, :f, 1000000000, :st)"),
            {"y": year, "s": date(year, 1, 1), "e": date(year, 12, 31), "st": status,
             "n": json.dumps([{"min_age": 5, "max_age": 17, "category": "general", "amount_kop": 15000000}]),
             "f": json.dumps({"significant": 1, "preprofessional": 1, "other": 2})}))
    run = ("INSERT INTO runs (id, kind, status, period_year, municipality, requested_by, requested_at, processed, "
           "moved_count, moved_kop, stopped_at_budget, failures) VALUES (:id, :kind, 'done', :y, NULL, 'operator:x', "
           ":at, 1, 1, 15000000, false, 0)")
    statements += [(run, {"id": ids["run"], "kind": "period_open", "y": 2026, "at": datetime.now(UTC)}),
                   (run, {"id": ids["adults"], "kind": "close_adults", "y": None, "at": datetime.now(UTC)})]
    await _sql(url, *statements)
    return url, ids


async def _counts(url: str) -> list:
    return (await _sql(url, "SELECT (SELECT count(*) FROM children), (SELECT count(*) FROM certificates), "
                            "(SELECT count(*) FROM ledger_entries), (SELECT sum(amount_kop) FROM ledger_entries), "
                            "(SELECT count(*) FROM reservations), (SELECT count(*) FROM runs)"))[0]


async def test_the_districts_periods_go_to_the_one_municipality_of_its_certificates(fresh_database, no_configuration):
    no_configuration.setenv("CERTIFICATES_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)  # chegem first: not it
    url, ids = await _previous_district(fresh_database, ["baksan", "baksan"])
    before = await _counts(url)
    await asyncio.to_thread(upgrade, PACKAGE, url)

    assert await _counts(url) == before  # nothing lost
    periods, runs, reservation, period_pk = await _sql(
        url, "SELECT municipality, year, status, funded_quota FROM funding_periods ORDER BY year",
        "SELECT kind, municipality FROM runs ORDER BY kind",
        ("SELECT held_kop, period_year, provider_id, payer FROM reservations WHERE contract_id = :k",
         {"k": ids["contract"]}),
        "SELECT array_agg(a.attname ORDER BY a.attname) FROM pg_index i JOIN pg_attribute a ON "
        "a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'funding_periods'::regclass "
        "AND i.indisprimary")
    assert periods == [("baksan", 2025, "closed", 100), ("baksan", 2026, "open", 100)]
    assert runs == [("close_adults", None), ("period_open", "baksan")]  # a close over everything stays so
    assert reservation == [(400000, 2026, None, None)]  # its money's year; made before agreements: none
    assert period_pk == [(["municipality", "year"],)]
    assert await schema_drift(url, metadata) == ([], 1)
    # Another municipality now has its own period of the same year.
    await _sql(url, "INSERT INTO funding_periods (municipality, year, starts_on, ends_on, nominals, funded_quota, "
                    "free_limits, budget_cap_kop, status) SELECT 'chegem', year, starts_on, ends_on, nominals, 1, "
                    "free_limits, 1, 'draft' FROM funding_periods WHERE year = 2026")


async def test_without_certificates_the_periods_go_to_the_first_configured_municipality(fresh_database,
                                                                                      no_configuration):
    no_configuration.setenv("CERTIFICATES_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)
    url, _ = await _previous_district(fresh_database, [])
    await asyncio.to_thread(upgrade, PACKAGE, url)
    assert (await _sql(url, "SELECT DISTINCT municipality FROM funding_periods"))[0] == [("chegem",)]


async def test_several_municipalities_stop_the_migration_until_the_legacy_one_is_named(fresh_database,
                                                                                     no_configuration):
    url, _ = await _previous_district(fresh_database, ["chegem", "baksan"])
    before = await _counts(url)
    with pytest.raises(RuntimeError, match="CERTIFICATES_LEGACY_MUNICIPALITY") as stopped:
        await asyncio.to_thread(upgrade, PACKAGE, url)
    assert "baksan, chegem" in str(stopped.value)
    assert (await _sql(url, "SELECT version_num FROM alembic_version"))[0] == [(BEFORE,)]  # nothing half-done
    assert await _counts(url) == before

    no_configuration.setenv("CERTIFICATES_MUNICIPALITIES", TEST_MUNICIPALITIES_JSON)
    no_configuration.setenv("CERTIFICATES_LEGACY_MUNICIPALITY", "atlantis")
    with pytest.raises(RuntimeError, match="not among"):
        await asyncio.to_thread(upgrade, PACKAGE, url)
    no_configuration.setenv("CERTIFICATES_LEGACY_MUNICIPALITY", "chegem")
    await asyncio.to_thread(upgrade, PACKAGE, url)
    assert (await _sql(url, "SELECT DISTINCT municipality FROM funding_periods"))[0] == [("chegem",)]
    assert await _counts(url) == before
