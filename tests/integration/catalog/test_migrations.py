"""The catalog's Alembic migrations build exactly what the models describe, and take the data of
the schema before them along."""
import asyncio
import uuid
from datetime import UTC, date, datetime

from sqlalchemy import text

from pfdo_kit.db import make_engine
from pfdo_kit.migrations import upgrade
from services.catalog.models import metadata
from tests.support.schema import schema_drift


async def test_migrated_schema_matches_the_models(fresh_database, migrated_template):
    url = await fresh_database(template=await migrated_template("services.catalog"))
    assert await schema_drift(url, metadata) == ([], 1)


async def test_every_application_s_payer_is_its_certificate_s_municipality(fresh_database):
    """0009 on a catalog filled by 0008: each application gets its certificate's municipality as its
    payer (not the program's); the agreements' copies start empty, nothing else changes."""
    url = await fresh_database()
    await asyncio.to_thread(upgrade, "services.catalog", url, "0008")
    provider, program, module, group = uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    certificates = {uuid.uuid4(): "chegem", uuid.uuid4(): "neftekumsk"}
    applications = {uuid.uuid4(): cert for cert in certificates}
    now = datetime.now(UTC)
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO providers VALUES (:id, 'approved', 'ДДТ', 'chegem', true, :at)"),
                               {"id": provider, "at": now})
            await conn.execute(text("""
                INSERT INTO programs (id, provider_id, status, title, description, direction, level, form, min_age,
                    max_age, ovz_adapted, registers, municipality, rating_sum, rating_count)
                VALUES (:id, :provider, 'published', 'Робототехника', 'Роботы', 'technical', 'starting', 'in_person',
                    7, 12, false, '{certified}', 'chegem', 0, 0)"""), {"id": program, "provider": provider})
            await conn.execute(text("INSERT INTO modules VALUES (:id, :program, 'Год', 72, 1800000)"),
                               {"id": module, "program": program})
            await conn.execute(text("""
                INSERT INTO groups (id, program_id, module_id, venue, teacher, schedule, weekdays, starts_on, ends_on,
                    capacity, taken, enrollment_open)
                VALUES (:id, :program, :module, 'каб. 1', 'Педагог', '[]', '{}', '2026-09-01', '2026-12-31', 10, 1,
                    true)"""), {"id": group, "program": program, "module": module})
            for cert, municipality in certificates.items():
                await conn.execute(text("""
                    INSERT INTO certificates (id, child_id, owner, birth_date, status, municipality, event_at)
                    VALUES (:id, :child, 'parent', '2016-05-01', 'active', :m, :at)"""),
                    {"id": cert, "child": uuid.uuid4(), "m": municipality, "at": now})
            for app, cert in applications.items():
                await conn.execute(text("""
                    INSERT INTO applications (id, status, owner, child_id, certificate_id, group_id, program_id,
                        provider_id, municipality, holds_seat, decide_by)
                    VALUES (:id, 'submitted', 'parent', :child, :cert, :group, :program, :provider, 'chegem', false,
                        '2026-10-01')"""),
                    {"id": app, "child": uuid.uuid4(), "cert": cert, "group": group, "program": program,
                     "provider": provider})

        await asyncio.to_thread(upgrade, "services.catalog", url)

        async with engine.connect() as conn:
            rows = (await conn.execute(text("SELECT id, municipality, payer, decide_by FROM applications"))).all()
            assert {(r.id, r.municipality, r.payer, r.decide_by) for r in rows} == {
                (app, "chegem", certificates[cert], date(2026, 10, 1)) for app, cert in applications.items()}
            for table in ("agreements", "agreement_usage"):
                assert (await conn.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one() == 0
    finally:
        await engine.dispose()
    assert await schema_drift(url, metadata) == ([], 1)
