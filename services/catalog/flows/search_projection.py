"""Search's projection kept current, in the caller's transaction: a listed program's row is
(re)written from the program, its provider and its groups whenever one of them changes, and
removed when the program stops being listed; seats and ratings update their columns; the
known words and the suggested titles follow the rows. `catch_up` (the sweeper's) counts the
groups again once one has ended, and projects what no flow did: rows of an older analyzer,
programs loaded by COPY (the benchmarks) or listed before this projection existed."""
from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.precompiled import Precompiled
from services.catalog.domain import words
from services.catalog.domain.registers import CERTIFIED
from services.catalog.domain.statuses import PROVIDER_APPROVED, PUBLISHED, is_listed

ANALYZER = 1  # bump when domain/words changes the documents: catch_up rewrites the older rows
CATCH_UP_BATCH = 500

_SOURCE = text("""
    SELECT p.id, p.provider_id, p.status, p.title, p.description, p.direction, p.level, p.municipality,
           p.min_age, p.max_age, p.ovz_adapted, p.created_at,
           CASE WHEN :certified = ANY(p.registers) THEN p.certified_until END AS certified_until,
           CASE WHEN p.rating_count > 0 THEN p.rating_sum::float8 / p.rating_count END AS rating,
           pr.short_name AS provider_name, pr.status AS provider_status
      FROM programs AS p JOIN providers AS pr ON pr.id = p.provider_id
     WHERE p.id = ANY(:ids)
     ORDER BY p.id
       FOR NO KEY UPDATE OF p""")  # one projector of a program at a time (flows, events, the sweeper)

_INSERT = text("""
    INSERT INTO program_search (program_id, provider_id, provider_name, title, direction, level, municipality,
                                min_age, max_age, ovz_adapted, certified_until, rating, created_at, analyzer,
                                groups, free_seats)
    VALUES (:id, :provider_id, :provider_name, :title, :direction, :level, :municipality, :min_age, :max_age,
            :ovz_adapted, :certified_until, :rating, :created_at, :analyzer, 0, 0)""")
_INSERT_TEXT = text("""
    INSERT INTO program_search_text (program_id, document, description)
    VALUES (:id, CAST(:document AS tsvector), :description)""")

GROUP_FIGURES_SQL = """
    UPDATE program_search AS s
       SET groups = g.groups, free_seats = g.free_seats, nearest_start = g.nearest_start, fresh_until = g.fresh_until,
           weekdays = g.weekdays,
           price_from_kop = (SELECT min(m.price_kop) FROM modules AS m WHERE m.program_id = s.program_id)
      FROM (SELECT p.id AS program_id, count(g.id) AS groups, min(g.starts_on) AS nearest_start,
                   min(g.ends_on) AS fresh_until,
                   coalesce(sum(CASE WHEN g.enrollment_open THEN g.capacity - g.taken ELSE 0 END), 0) AS free_seats,
                   ARRAY(SELECT DISTINCT d FROM groups AS dg, unnest(dg.weekdays) AS d
                          WHERE dg.program_id = p.id AND dg.ends_on >= :today ORDER BY d) AS weekdays
              FROM {programs}
              LEFT JOIN groups AS g ON g.program_id = p.id AND g.ends_on >= :today
             GROUP BY p.id) AS g
     WHERE s.program_id = g.program_id"""
_GROUP_FIGURES = Precompiled(text(GROUP_FIGURES_SQL.format(programs="unnest(CAST(:ids AS uuid[])) AS p(id)")))

_PHRASES = text("""
    INSERT INTO search_phrases (phrase, words, programs)
    SELECT phrase, CAST(doc AS tsvector), delta
      FROM unnest(CAST(:phrases AS text[]), CAST(:docs AS text[]), CAST(:deltas AS int[])) AS d(phrase, doc, delta)
        ON CONFLICT (phrase) DO UPDATE SET programs = search_phrases.programs + excluded.programs""")

_TERMS = text("INSERT INTO search_terms (term) SELECT unnest(CAST(:terms AS text[])) ON CONFLICT DO NOTHING")


async def project(session: AsyncSession, program_ids: Collection[uuid.UUID], today: date) -> None:
    """(Re)write the rows of these programs: the listed ones from their current state, the
    others removed."""
    if not program_ids:
        return
    ids = sorted(set(program_ids))
    sources = (await session.execute(_SOURCE, {"ids": ids, "certified": CERTIFIED})).mappings().all()
    removed = (await session.execute(text("DELETE FROM program_search WHERE program_id = ANY(:ids) RETURNING title"),
                                     {"ids": ids})).scalars().all()
    listed = [row for row in sources if is_listed(row["status"], row["provider_status"])]
    if listed:
        rows = [_row(row) for row in listed]
        await session.execute(_INSERT, rows)
        await session.execute(_INSERT_TEXT, [{k: r[k] for k in ("id", "document", "description")} for r in rows])
        terms = sorted({key for row in listed for w in words.words(f"{row['title']} {row['description']}")
                        for key in words.keys(w)})
        await session.execute(_TERMS, {"terms": terms})
        await refresh_groups(session, [row["id"] for row in listed], today)
    titles = Counter(row["title"] for row in listed)
    titles.subtract(removed)
    await _count_titles(session, {title: n for title, n in titles.items() if n})


def _row(row) -> dict:
    values = {k: row[k] for k in ("id", "provider_id", "provider_name", "title", "description", "direction", "level",
                                  "municipality", "min_age", "max_age", "ovz_adapted", "certified_until", "rating",
                                  "created_at")}
    return values | {"document": words.document(row["title"], row["description"]), "analyzer": ANALYZER}


async def _count_titles(session: AsyncSession, deltas: dict[str, int]) -> None:
    """Suggested titles follow the rows: how many listed programs bear each."""
    if not deltas:
        return
    titles = sorted(deltas)  # one lock order for concurrent writers
    await session.execute(_PHRASES, {"phrases": titles, "docs": [words.document(t, "") for t in titles],
                                     "deltas": [deltas[t] for t in titles]})
    await session.execute(text("DELETE FROM search_phrases WHERE phrase = ANY(:titles) AND programs <= 0"),
                          {"titles": titles})


async def refresh_groups(session: AsyncSession, program_ids: Collection[uuid.UUID], today: date) -> None:
    """Count the programs' groups (not yet ended) and their free seats again."""
    if program_ids:
        await _GROUP_FIGURES.run(session, ids=sorted(set(program_ids)), today=today)


async def rated(session: AsyncSession, program_id: uuid.UUID, rating: float) -> None:
    await session.execute(text("UPDATE program_search SET rating = :rating WHERE program_id = :id"),
                          {"rating": rating, "id": program_id})


async def project_provider(session: AsyncSession, provider_id: uuid.UUID, today: date) -> None:
    """A provider's status or name changed: its published programs enter, leave or are rewritten."""
    ids = (await session.execute(text("SELECT id FROM programs WHERE provider_id = :id AND status = :published"),
                                 {"id": provider_id, "published": PUBLISHED})).scalars().all()
    await project(session, ids, today)


async def catch_up(session: AsyncSession, today: date) -> int:
    """Rows whose group figures a passing day changed, rows of an older analyzer, listed
    programs without a row and rows of programs no longer listed; how many it rewrote."""
    due = (await session.execute(text(f"""
        (SELECT program_id FROM program_search WHERE fresh_until < :today OR analyzer <> :analyzer
          LIMIT {CATCH_UP_BATCH})
        UNION
        (SELECT p.id FROM programs AS p JOIN providers AS pr ON pr.id = p.provider_id
          WHERE p.status = '{PUBLISHED}' AND pr.status = '{PROVIDER_APPROVED}'
            AND NOT EXISTS (SELECT 1 FROM program_search AS s WHERE s.program_id = p.id)
          LIMIT {CATCH_UP_BATCH})
        UNION
        (SELECT s.program_id FROM program_search AS s JOIN programs AS p ON p.id = s.program_id
           JOIN providers AS pr ON pr.id = p.provider_id
          WHERE p.status <> '{PUBLISHED}' OR pr.status <> '{PROVIDER_APPROVED}'
          LIMIT {CATCH_UP_BATCH})"""), {"today": today, "analyzer": ANALYZER})).scalars().all()
    await project(session, due, today)
    return len(due)
