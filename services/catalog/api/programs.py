"""Programs, their modules and groups: written by their provider, certified by the
operator, found by anyone."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from pfdo_kit.dependencies import CurrentPrincipal, OptionalPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.catalog.api.dependencies import SearchingNow
from services.catalog.api.schemas import (
    CertifyIn,
    FacetCount,
    GroupIn,
    GroupOut,
    Highlight,
    ModuleOut,
    ProgramCard,
    ProgramIn,
    ProgramOut,
    SearchFacets,
    SearchPage,
    Suggestions,
)
from services.catalog.domain.facets import AGE_BANDS, band_name
from services.catalog.domain.highlight import Highlighter
from services.catalog.domain.registers import certified_now
from services.catalog.flows import programs as flow
from services.catalog.models import Group, Module, Program, Provider
from services.catalog.settings import CatalogSettings
from services.catalog.queries.programs import find_program, modules_and_groups
from services.catalog.queries.search import SearchParams, facets as count_facets, search
from services.catalog.queries.suggest import suggest

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=API_ERRORS)


def _group_out(g: Group) -> GroupOut:
    return GroupOut(id=g.id, module_id=g.module_id, venue=g.venue, teacher=g.teacher, schedule=g.schedule,
                    starts_on=g.starts_on, ends_on=g.ends_on, capacity=g.capacity, free_seats=g.capacity - g.taken,
                    enrollment_open=g.enrollment_open)


def _program_out(program: Program, provider: Provider, modules: list[Module], groups: list[Group],
                 today: date) -> ProgramOut:
    return ProgramOut(
        id=program.id, provider_id=program.provider_id, provider_name=provider.short_name, status=program.status,
        title=program.title, description=program.description, direction=program.direction, level=program.level,
        form=program.form, min_age=program.min_age, max_age=program.max_age, ovz_adapted=program.ovz_adapted,
        registers=program.registers, certified=certified_now(program.registers, program.certified_until, today),
        certification_score=program.certification_score, certified_until=program.certified_until,
        municipality=program.municipality,
        rating=round(program.rating_sum / program.rating_count, 2) if program.rating_count else None,
        reviews=program.rating_count,
        modules=[ModuleOut(id=m.id, title=m.title, hours=m.hours, price_kop=m.price_kop) for m in modules],
        groups=[_group_out(g) for g in groups],
    )


async def _shown(session, program: Program, provider: Provider, today: date) -> ProgramOut:
    return _program_out(program, provider, *await modules_and_groups(session, program.id), today)


def _card(row, marks: Highlighter | None) -> ProgramCard:
    highlight = Highlight(title=marks.title(row["title"]), snippet=marks.snippet(row["description"])) if marks else None
    return ProgramCard(id=row["id"], title=row["title"], provider_name=row["provider_name"], direction=row["direction"],
                       level=row["level"], min_age=row["min_age"], max_age=row["max_age"], certified=row["certified"],
                       municipality=row["municipality"],
                       rating=round(row["rating"], 2) if row["rating"] is not None else None,
                       free_seats=row["free_seats"], nearest_start=row["nearest_start"], full_match=row["full_match"],
                       highlight=highlight)


def _facets(counted: list[tuple[str, str, int]]) -> SearchFacets:
    by: dict[str, dict[str, int]] = {}
    for facet, value, n in counted:
        by.setdefault(facet, {})[value] = n
    ranked = {name: [FacetCount(value=v, count=n) for v, n in sorted(by.get(name, {}).items(), key=lambda i: (-i[1], i[0]))]
              for name in ("direction", "level", "municipality")}
    bands = [FacetCount(value=name, count=by.get("age", {}).get(name, 0)) for name in
             (band_name(lo, hi) for lo, hi in AGE_BANDS)]
    return SearchFacets(**ranked, age=bands, certificate=by.get("certificate", {}).get("true", 0),
                        free_seats=by.get("free_seats", {}).get("true", 0))


def _public(response: Response, settings: CatalogSettings) -> Response:
    if ttl := settings.search_cache_s:  # the same for everyone: shared caches may keep it
        response.headers["Cache-Control"] = f"public, max-age={ttl}, stale-while-revalidate={settings.search_stale_s}"
    return response


def _json(body: SearchPage | Suggestions) -> Response:
    """The body as built, already valid: FastAPI would validate and serialise it once more
    (a third of a search's time in Python); `response_model` still documents it."""
    return Response(body.model_dump_json(), media_type="application/json")


@router.get("/programs", response_model=SearchPage, summary="Поиск программ в Навигаторе")
async def search_programs(
    searching: SearchingNow,
    q: Annotated[str | None, Query(max_length=200, description="слова для поиска, по-русски: формы слов, "
                                   "синонимы, опечатки; последнее слово — и как начало слова")] = None,
    municipality: Annotated[str | None, Query(max_length=100)] = None,
    direction: str | None = None,
    level: str | None = None,
    age: Annotated[int | None, Query(ge=3, le=18)] = None,
    certificate: bool | None = None,
    free_seats: bool = False,
    weekday: Annotated[int | None, Query(ge=0, le=6)] = None,
    after: Annotated[str | None, Query(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="занятия не раньше ЧЧ:ММ")] = None,
    ovz: bool | None = None,
    sort: Literal["relevance", "rating", "start"] = "relevance",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    facets: Annotated[bool, Query(description="счётчики для панели фильтров")] = False,
):
    params = SearchParams(q=q or None, municipality=municipality, direction=direction, level=level, age=age,
                          certificate=certificate, free_seats=free_seats, weekday=weekday, after=after, ovz=ovz,
                          sort=sort)
    today, reads = searching.clock.today(), searching.reads
    analysed = await searching.plans.analysed(reads, q) if q and q.strip() else None
    analysed = analysed if analysed and analysed.plan.clauses else None
    plan = analysed.plan if analysed else None
    rows, total, full = await search(reads, params, plan, today, page, page_size)
    counted = await count_facets(reads, params, plan, today) if facets else None
    found = SearchPage(items=[_card(row, analysed.marks if analysed else None) for row in rows], total=total,
                       page=page, page_size=page_size, full_matches=full,
                       facets=_facets(counted) if counted is not None else None)
    return _public(_json(found), searching.settings)


@router.get("/programs/suggest", response_model=Suggestions, summary="Подсказки при наборе запроса")
async def suggest_titles(searching: SearchingNow, q: Annotated[str, Query(min_length=1, max_length=100)]):
    return _public(_json(Suggestions(items=await suggest(searching.reads, q))), searching.settings)


@router.post("/programs", status_code=status.HTTP_201_CREATED, response_model=ProgramOut)
async def create_program(body: ProgramIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.create(
            session, principal, body.model_dump(exclude={"modules", "free_registers"}), body.free_registers,
            [m.model_dump() for m in body.modules])
        return await _shown(session, program, provider, rt.clock.today())


@router.get("/programs/{program_id}", response_model=ProgramOut)
async def get_program(program_id: uuid.UUID, principal: OptionalPrincipal, rt: Runtime):
    async with rt.sessions() as session:
        program, provider = await find_program(session, program_id, principal)
        return await _shown(session, program, provider, rt.clock.today())


@router.post("/programs/{program_id}/publish", response_model=ProgramOut)
async def publish_program(program_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.publish(session, program_id, principal, rt.clock.today())
        return await _shown(session, program, provider, rt.clock.today())


@router.post("/programs/{program_id}/certify", response_model=ProgramOut)
async def certify_program(program_id: uuid.UUID, body: CertifyIn, principal: CurrentPrincipal, rt: Runtime):
    today = rt.clock.today()
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.certify(session, program_id, principal, body.score, body.valid_until, today)
        return await _shown(session, program, provider, today)


@router.post("/programs/{program_id}/groups", status_code=status.HTTP_201_CREATED, response_model=GroupOut)
async def add_group(program_id: uuid.UUID, body: GroupIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return _group_out(await flow.add_group(session, program_id, principal, today=rt.clock.today(),
                                               **body.model_dump()))
