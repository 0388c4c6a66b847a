"""The Navigator's search over its projection (`program_search`, one row per listed program):
the analysed query's clauses scored per program, filters, sorting, stable paging and the
filter panel's facets. Programs matching every clause come first; with two or more clauses,
those matching at least half follow them (the best partial matches rather than nothing).

One statement per page, total included (`count(*) OVER ()`), written as SQL rather than built
with the ORM: the search is the platform's hottest read. Groups are read only for the weekday
and time filters; everything else is in the projection's row."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from asyncpg import Record

from services.catalog.domain.facets import AGE_BANDS, FACETED, band_name
from services.catalog.domain.query_plan import QueryPlan
from services.catalog.domain.tsquery import any_required, tiers
from services.catalog.queries.reads import SearchReads


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


CERTIFIED_NOW = "coalesce(s.certified_until >= :today, false)"  # the row keeps the date only while certified


class SearchSql:
    """The statements of one search: its FROM and WHERE, shared by the page, the count and the facets."""

    def __init__(self, p: SearchParams, plan: QueryPlan | None, today: date) -> None:
        self.p, self.plan = p, plan
        self.params: dict = {"today": today}
        self.clauses = plan.clauses if plan else ()
        self.by_groups = p.weekday is not None or p.after is not None

    def _from(self) -> str:
        parts = ["program_search AS s"]
        if self.clauses:  # the words are in a table of their own: filters alone read narrow rows
            parts.append("JOIN program_search_text AS t ON t.program_id = s.program_id")
        if self.by_groups:  # free seats and the nearest start of the groups that fit the day and time
            figures = """count(*) AS groups, min(gr.starts_on) AS nearest_start,
                         coalesce(sum(CASE WHEN gr.enrollment_open THEN gr.capacity - gr.taken ELSE 0 END), 0)
                             AS free_seats"""
            parts.append(f"CROSS JOIN LATERAL (SELECT {figures} FROM groups AS gr "
                         f"WHERE gr.program_id = s.program_id AND {' AND '.join(self._group_filters())}) AS g")
        if self.clauses:
            parts.append(f"CROSS JOIN LATERAL ({self._scores()}) AS m")
        return "\n".join(parts)

    def _group_filters(self) -> list[str]:
        found = ["gr.ends_on >= :today"]
        if self.p.weekday is not None:
            found.append(":weekday = ANY(gr.weekdays)")
            self.params["weekday"] = self.p.weekday
        if self.p.after is not None:
            same_day = " AND (l.value->>'weekday')::int = :weekday" if self.p.weekday is not None else ""
            found.append("EXISTS (SELECT 1 FROM jsonb_array_elements(gr.schedule) AS l "
                         f"WHERE l.value->>'starts_at' >= :after{same_day})")
            self.params["after"] = self.p.after
        return found

    def _scores(self) -> str:
        """Each clause's points (its first tier the program matches) and how many required clauses matched."""
        cases, matched = [], []
        for i, clause in enumerate(self.clauses):
            whens = []
            for j, (query, points) in enumerate(tiers(clause)):
                self.params[f"c{i}t{j}"] = query
                whens.append(f"WHEN t.document @@ CAST(:c{i}t{j} AS tsquery) THEN {points}")
            cases.append(f"CASE {' '.join(whens)} ELSE 0 END AS c{i}")
            if clause.required:
                matched.append(f"(c{i} > 0)::int")
        score = " + ".join(f"c{i}" for i in range(len(self.clauses)))
        return (f"SELECT {score} AS score, {' + '.join(matched) or '0'} AS matched "
                f"FROM (SELECT {', '.join(cases)}) AS c")

    def _free(self) -> str:
        return "g.free_seats" if self.by_groups else "s.free_seats"

    def _nearest(self) -> str:
        return "g.nearest_start" if self.by_groups else "s.nearest_start"

    def _order(self) -> str:
        """Programs matching more clauses first, then the chosen order; ties by id (stable pages)."""
        chosen = {"relevance": "m.score DESC, s.created_at DESC" if self.clauses else "s.created_at DESC",
                  "rating": "s.rating DESC NULLS LAST",
                  "start": f"{self._nearest()} ASC NULLS LAST"}[self.p.sort]
        return ("m.matched DESC, " if self.clauses else "") + chosen + ", s.program_id"

    def _where(self, faceted: bool = True) -> list[str]:
        """Every condition; without the facets' own filters when `faceted` is False."""
        p, found = self.p, []
        if self.plan is not None and (anything := any_required(self.plan)) is not None:
            found.append("t.document @@ CAST(:any AS tsquery)")
            found.append(f"m.matched >= {self.plan.min_matched}")
            self.params["any"] = anything
        if faceted:
            found += [condition for condition in self._facet_filters().values() if condition != "true"]
        if p.ovz:
            found.append("s.ovz_adapted")
        if self.by_groups:
            found.append("g.groups > 0")
        return found or ["true"]

    def _facet_filters(self) -> dict[str, str]:
        """Each facet's filter ("true" when not set), as a condition on the projection's row."""
        p, found = self.p, {}
        for column in ("municipality", "direction", "level"):
            found[column] = f"s.{column} = :{column}" if getattr(p, column) is not None else "true"
            if getattr(p, column) is not None:
                self.params[column] = getattr(p, column)
        found["age"] = "(s.min_age <= :age AND s.max_age >= :age)" if p.age is not None else "true"
        if p.age is not None:
            self.params["age"] = p.age
        found["certificate"] = {None: "true", True: CERTIFIED_NOW, False: f"NOT {CERTIFIED_NOW}"}[p.certificate]
        found["free_seats"] = f"{self._free()} > 0" if p.free_seats else "true"
        return found

    def page(self, limit: int, offset: int) -> str:
        required = len(self.plan.required) if self.plan else 0
        self.params.update(limit=limit, offset=offset)
        return f"""
            SELECT s.program_id AS id, s.title, {"t.description" if self.clauses else "''"} AS description,
                   s.provider_name, s.direction, s.level, s.min_age,
                   s.max_age, s.municipality, {CERTIFIED_NOW} AS certified, s.rating, {self._free()} AS free_seats,
                   {self._nearest()} AS nearest_start, s.price_from_kop, s.weekdays,
                   {"m.matched" if self.clauses else "0"} >= {required} AS full_match,
                   count(*) OVER () AS total,
                   count(*) FILTER (WHERE {"m.matched" if self.clauses else "0"} >= {required}) OVER () AS full_total
              FROM {self._from()}
             WHERE {" AND ".join(self._where())}
             ORDER BY {self._order()}
             LIMIT :limit OFFSET :offset"""

    def count(self) -> str:
        required = len(self.plan.required) if self.plan else 0
        return f"""
            SELECT count(*) AS total,
                   count(*) FILTER (WHERE {"m.matched" if self.clauses else "0"} >= {required}) AS full_total
              FROM {self._from()} WHERE {" AND ".join(self._where())}"""

    def facets(self) -> str:
        """(facet, value, count) rows: each facet counted under every filter but its own. The
        programs the other conditions leave are found once, each facet filter kept as a flag."""
        filters = self._facet_filters()
        flags = ", ".join(f"{condition} AS f_{name}" for name, condition in filters.items())
        set_filters = [condition for condition in filters.values() if condition != "true"]
        where = self._where(faceted=False)
        if len(set_filters) > 1:  # a program failing two of them counts in no facet
            where.append(" + ".join(f"(NOT coalesce({c}, false))::int" for c in set_filters) + " <= 1")

        def others(facet: str) -> str:
            return " AND ".join(f"f_{name}" for name in FACETED if name != facet)
        counts = [(f"'age', '{band_name(lo, hi)}'", f"min_age <= {hi} AND max_age >= {lo} AND {others('age')}")
                  for lo, hi in AGE_BANDS]
        counts += [("'certificate', 'true'", f"certified AND {others('certificate')}"),
                   ("'free_seats', 'true'", f"has_free AND {others('free_seats')}")]
        columns = ", ".join(f"count(*) FILTER (WHERE {condition}) AS n{i}" for i, (_, condition) in enumerate(counts))
        unpivot = ", ".join(f"({name}, t.n{i})" for i, (name, _) in enumerate(counts))
        return f"""
            WITH base AS MATERIALIZED (
                SELECT s.direction, s.level, s.municipality, s.min_age, s.max_age,
                       {CERTIFIED_NOW} AS certified, {self._free()} > 0 AS has_free, {flags}
                  FROM {self._from()} WHERE {" AND ".join(where)})
            SELECT 'direction' AS facet, direction AS value, count(*) AS n FROM base
             WHERE {others("direction")} GROUP BY direction
            UNION ALL SELECT 'level', level, count(*) FROM base WHERE {others("level")} GROUP BY level
            UNION ALL SELECT 'municipality', municipality, count(*) FROM base WHERE {others("municipality")}
             GROUP BY municipality
            UNION ALL SELECT f.* FROM (SELECT {columns} FROM base) AS t, LATERAL (VALUES {unpivot}) AS f"""


def search_sql(p: SearchParams, plan: QueryPlan | None, today: date, limit: int, offset: int) -> tuple[str, dict]:
    """The page's statement and its parameters; each row carries the totals."""
    built = SearchSql(p, plan, today)
    return built.page(limit, offset), built.params


async def search(reads: SearchReads, p: SearchParams, plan: QueryPlan | None, today: date, page: int,
                 page_size: int) -> tuple[list[Record], int, int]:
    """One page of hits, the total and how many match every clause: one statement, two only
    for a page past the last."""
    sql, values = search_sql(p, plan, today, page_size, (page - 1) * page_size)
    rows = await reads.rows(sql, values)
    if rows:
        return rows, rows[0]["total"], rows[0]["full_total"]
    built = SearchSql(p, plan, today)
    [counted] = await reads.rows(built.count(), built.params)
    return [], counted["total"], counted["full_total"]


async def facets(reads: SearchReads, p: SearchParams, plan: QueryPlan | None,
                 today: date) -> list[tuple[str, str, int]]:
    built = SearchSql(p, plan, today)
    sql = built.facets()
    return [(r["facet"], r["value"], r["n"]) for r in await reads.rows(sql, built.params)]
