"""The bench generator fills a real catalog schema, projection included, that the Navigator's search then reads."""

from sqlalchemy import text

from bench.generate_catalog import generate
from pfdo_kit.clock import Clock
from pfdo_kit.db import make_engine
from services.catalog.domain.query_plan import analyse
from services.catalog.queries.search import SearchParams, search_sql
from services.catalog.thesaurus import load
from tests.support.rows import count_rows


async def test_generator_fills_a_searchable_catalog(fresh_database, migrated_template):
    url = await fresh_database(template=await migrated_template("services.catalog"))
    report = await generate(url, programs=70, groups=250, providers=5, seed=1)
    assert (report["programs"], report["groups"]) == (70, 250)
    assert await count_rows(url, "programs") == 70 and await count_rows(url, "groups") == 250
    assert await count_rows(url, "program_search") == 70
    engine = make_engine(url)
    try:
        async with engine.connect() as conn:
            q = "робототехнике "
            sql, params = search_sql(SearchParams(q=q), analyse(q, load()), Clock().today(), limit=5, offset=0)
            rows = (await conn.execute(text(sql), params)).all()
            found, titles = rows[0].total, [row.title for row in rows]
    finally:
        await engine.dispose()
    assert found > 0 and all("обот" in t or "Кванторикс" in t for t in titles), titles
