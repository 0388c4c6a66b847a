"""The registry's Alembic migrations build exactly what the models describe, and take the data of
the schema before them along."""
import asyncio
import uuid
from datetime import date

from sqlalchemy import text

from pfdo_kit.db import make_engine
from pfdo_kit.migrations import upgrade
from services.registry.models import metadata
from tests.support.schema import schema_drift


async def test_migrated_schema_matches_the_models(fresh_database, registry_template):
    assert await schema_drift(await fresh_database(template=registry_template), metadata) == ([], 1)


async def test_each_provider_s_single_agreement_becomes_an_agreement_with_its_municipality(fresh_database,
                                                                                           monkeypatch):
    """0002 on a registry filled by 0001: every provider's one agreement becomes an active agreement with
    the provider's own municipality for its date's year, without a limit; recorded in the history and
    announced through the outbox; nothing else of the providers lost."""
    monkeypatch.delenv("REGISTRY_DISTRICT", raising=False)
    url = await fresh_database()
    await asyncio.to_thread(upgrade, "services.registry", url, "0001")
    chegem, neftekumsk, bare = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            for pid, status, municipality, inn, number, signed in (
                    (chegem, "approved", "chegem", "0700000001", "ДО-1/2025", date(2025, 9, 1)),
                    (neftekumsk, "suspended", "neftekumsk", "2600000001", "ДО-7", date(2026, 2, 3)),
                    (bare, "submitted", "chegem", "0700000002", None, None)):
                await conn.execute(text("""
                    INSERT INTO providers (id, status, kind, full_name, short_name, inn, ogrn, municipality,
                        legal_address, email, phone, teaches_alone, bank_bik, bank_account, payment_agreement_number,
                        payment_agreement_date, submitted_by, version)
                    VALUES (:id, :status, 'municipal', 'Полное', 'Краткое', :inn, '1020700528419', :municipality,
                        'Адрес', 'a@b.ru', '+7 928 000-00-00', false, '040702615', '40703810460320001234',
                        :number, :signed, 'staff', 3)"""),
                    {"id": pid, "status": status, "inn": inn, "municipality": municipality, "number": number,
                     "signed": signed})
                await conn.execute(text("INSERT INTO venues (id, provider_id, title, address) "
                                        "VALUES (:id, :pid, 'Корпус', 'Адрес')"), {"id": uuid.uuid4(), "pid": pid})
            await conn.execute(text("""INSERT INTO outbox (event_id, routing_key, envelope, sent_at)
                VALUES (:id, 'registry.provider.approved.v1', '{"district": "kbr"}', now())"""), {"id": uuid.uuid4()})

        await asyncio.to_thread(upgrade, "services.registry", url)

        async with engine.connect() as conn:
            agreements = (await conn.execute(text(
                "SELECT provider_id, municipality, year, number, signed_on, limit_kop, active "
                "FROM payment_agreements ORDER BY year"))).all()
            assert [tuple(a) for a in agreements] == [
                (chegem, "chegem", 2025, "ДО-1/2025", date(2025, 9, 1), None, True),
                (neftekumsk, "neftekumsk", 2026, "ДО-7", date(2026, 2, 3), None, True)]
            history = (await conn.execute(text(
                "SELECT provider_id, action, from_status, to_status, changes FROM provider_changes"))).all()
            assert {(h.provider_id, h.action, h.from_status, h.to_status) for h in history} == {
                (chegem, "agreement", "approved", "approved"), (neftekumsk, "agreement", "suspended", "suspended")}
            assert next(h.changes for h in history if h.provider_id == chegem) == {"agreement": {
                "municipality": "chegem", "year": 2025, "before": None,
                "after": {"number": "ДО-1/2025", "signed_on": "2025-09-01", "limit_kop": None, "active": True}}}
            staged = (await conn.execute(text(
                "SELECT routing_key, envelope FROM outbox WHERE sent_at IS NULL ORDER BY id"))).all()
            assert {s.routing_key for s in staged} == {"registry.agreement.changed.v1"} and len(staged) == 2
            assert {s.envelope["district"] for s in staged} == {"kbr"}
            assert {(s.envelope["payload"]["provider_id"], s.envelope["payload"]["year"]) for s in staged} == {
                (str(chegem), 2025), (str(neftekumsk), 2026)}
            providers = (await conn.execute(text("SELECT id, status, version FROM providers"))).all()
            assert {tuple(p) for p in providers} == {(chegem, "approved", 3), (neftekumsk, "suspended", 3),
                                                     (bare, "submitted", 3)}
            assert (await conn.execute(text("SELECT count(*) FROM venues"))).scalar_one() == 3
            columns = (await conn.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'providers'"))).scalars().all()
            assert not [c for c in columns if c.startswith("payment_agreement")]
    finally:
        await engine.dispose()
    assert await schema_drift(url, metadata) == ([], 1)
