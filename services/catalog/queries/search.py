"""The Navigator's search in PostgreSQL: Russian full-text (title weighs more than the
description), filters, sorting and stable paging. Only published programs of approved
providers are ever found.

One statement per page, total included (`count(*) OVER ()`), written as SQL rather than built
with the ORM: the search is the platform's hottest read, and building and caching an ORM
statement of this shape cost more CPU than PostgreSQL spent answering it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import RowMapping, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.catalog.domain.registers import CERTIFIED_NOW_SQL
from services.catalog.domain.statuses import PROVIDER_APPROVED, PUBLISHED


@dataclass(frozen=True)
class SearchParams:
    q: str | None = None
    municipality: str | None = None
    direction: str | None = None
    level: str | None = None
    age: int | None = None
    certificate: bool | None = None
    free_seats: bool = False
    weekday: int | None = None
    after: str | None = None  # "HH:MM": a lesson on that weekday (or any day) starting no earlier
    ovz: bool | None = None
    sort: str = "relevance"


ORDER = {
    "relevance": "rank DESC, p.created_at DESC",
    "rating": "rating DESC NULLS LAST",
    "start": "g.nearest_start ASC NULLS LAST",
}


def _group_filters(p: SearchParams) -> list[str]:
    found = []
    if p.weekday is not None:
        found.append(":weekday = ANY(g.weekdays)")
    if p.after is not None:
        same_day = " AND (l.value->>'weekday')::int = :weekday" if p.weekday is not None else ""
        found.append("EXISTS (SELECT 1 FROM jsonb_array_elements(g.schedule) AS l "
                     f"WHERE l.value->>'starts_at' >= :after{same_day})")
    return found


def _program_filters(p: SearchParams) -> list[str]:
    found = [f"p.status = '{PUBLISHED}'"]
    if p.q:
        found.append("p.search @@ websearch_to_tsquery('russian', :q)")
    found += [f"p.{column} = :{column}" for column in ("municipality", "direction", "level")
              if getattr(p, column) is not None]
    if p.age is not None:
        found.append("p.min_age <= :age AND p.max_age >= :age")
    if p.certificate is not None:
        found.append(CERTIFIED_NOW_SQL if p.certificate else f"NOT {CERTIFIED_NOW_SQL}")
    if p.ovz:
        found.append("p.ovz_adapted")
    if p.free_seats:
        found.append("g.free_seats > 0")
    if p.weekday is not None or p.after is not None:
        found.append("g.groups > 0")
    return found


def search_sql(p: SearchParams, today: date, limit: int, offset: int) -> tuple[str, dict]:
    """The page's statement and its parameters; each row carries the total count."""
    rank = "ts_rank_cd(p.search, websearch_to_tsquery('russian', :q))" if p.q else "0.0"
    sql = f"""
        SELECT p.id, p.title, pr.short_name AS provider_name, p.direction, p.level, p.min_age, p.max_age,
               p.municipality, {CERTIFIED_NOW_SQL} AS certified,
               CASE WHEN p.rating_count > 0 THEN p.rating_sum::float8 / p.rating_count END AS rating,
               g.free_seats, g.nearest_start, {rank} AS rank, count(*) OVER () AS total
          FROM programs AS p
          JOIN providers AS pr ON pr.id = p.provider_id AND pr.status = '{PROVIDER_APPROVED}'
         CROSS JOIN LATERAL (
               SELECT count(*) AS groups, min(g.starts_on) AS nearest_start,
                      coalesce(sum(CASE WHEN g.enrollment_open THEN g.capacity - g.taken ELSE 0 END), 0) AS free_seats
                 FROM groups AS g
                WHERE {" AND ".join(["g.program_id = p.id", "g.ends_on >= :today", *_group_filters(p)])}) AS g
         WHERE {" AND ".join(_program_filters(p))}
         ORDER BY {ORDER[p.sort]}, p.id
         LIMIT :limit OFFSET :offset"""
    params = {"today": today, "limit": limit, "offset": offset}
    params.update({k: v for k, v in vars(p).items() if k not in ("free_seats", "certificate", "ovz", "sort")
                   and v is not None})
    return sql, params


def count_sql(p: SearchParams, today: date) -> tuple[str, dict]:
    """The total alone, for a page past the last one (which has no rows to carry it)."""
    sql, params = search_sql(p, today, 1, 0)
    del params["limit"], params["offset"]
    return f"SELECT count(*) FROM ({sql.rsplit('ORDER BY', 1)[0]}) AS found", params


async def search(session: AsyncSession, p: SearchParams, today: date, page: int,
                 page_size: int) -> tuple[list[RowMapping], int]:
    """One page of hits and the total: one statement, two only for a page past the last."""
    sql, values = search_sql(p, today, page_size, (page - 1) * page_size)
    rows = (await session.execute(text(sql), values)).mappings().all()
    if rows:
        return list(rows), rows[0]["total"]
    sql, values = count_sql(p, today)
    return [], (await session.execute(text(sql), values)).scalar_one()
