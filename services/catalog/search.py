"""The Navigator's search in PostgreSQL: Russian full-text (title weighs more than the
description), filters, sorting and stable paging. Only published programs of approved
providers are ever found."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, Select, and_, any_, case, func, literal, select, true
from sqlalchemy.orm import aliased

from services.catalog.models import Group, Program, Provider


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


def certified_now(today: date):
    return and_(literal("certified") == any_(Program.registers), Program.certified_until >= today)


def search_query(p: SearchParams, today: date) -> Select:
    g = aliased(Group)
    group_filter = [g.program_id == Program.id, g.ends_on >= today]
    if p.weekday is not None:
        group_filter.append(literal(p.weekday) == any_(g.weekdays))
    if p.after is not None:
        lesson = func.jsonb_array_elements(g.schedule).table_valued("value").alias("lesson")
        starts = lesson.c.value.op("->>")("starts_at")
        day_ok = lesson.c.value.op("->>")("weekday").cast(Integer) == p.weekday if p.weekday is not None else true()
        group_filter.append(select(1).select_from(lesson).where(starts >= p.after, day_ok).exists())
    groups = (
        select(
            func.count().label("groups"),
            func.coalesce(func.sum(case((g.enrollment_open, g.capacity - g.taken), else_=0)), 0).label("free_seats"),
            func.min(g.starts_on).label("nearest_start"),
        ).where(*group_filter).lateral("g")
    )
    tsquery = func.websearch_to_tsquery("russian", p.q) if p.q else None
    rank = func.ts_rank_cd(Program.search, tsquery) if tsquery is not None else literal(0.0)
    rating = case((Program.rating_count > 0, Program.rating_sum * 1.0 / Program.rating_count), else_=None)

    query = (
        select(Program, Provider.short_name, groups.c.free_seats, groups.c.nearest_start, rank.label("rank"),
               rating.label("rating"), certified_now(today).label("certified"))
        .join(Provider, and_(Provider.id == Program.provider_id, Provider.status == "approved"))
        .join(groups, true())
        .where(Program.status == "published")
    )
    if tsquery is not None:
        query = query.where(Program.search.op("@@")(tsquery))
    for column, value in ((Program.municipality, p.municipality), (Program.direction, p.direction),
                          (Program.level, p.level)):
        if value is not None:
            query = query.where(column == value)
    if p.age is not None:
        query = query.where(Program.min_age <= p.age, Program.max_age >= p.age)
    if p.certificate is True:
        query = query.where(certified_now(today))
    elif p.certificate is False:
        query = query.where(~certified_now(today))
    if p.ovz:
        query = query.where(Program.ovz_adapted.is_(True))
    if p.free_seats:
        query = query.where(groups.c.free_seats > 0)
    if p.weekday is not None or p.after is not None:
        query = query.where(groups.c.groups > 0)

    order = {
        "relevance": [rank.desc(), Program.created_at.desc()],
        "rating": [rating.desc().nulls_last()],
        "start": [groups.c.nearest_start.asc().nulls_last()],
    }[p.sort]
    return query.order_by(*order, Program.id)
