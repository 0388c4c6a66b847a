"""Programs, their modules and groups: written by their provider, certified by the
operator, found by anyone."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status

from pfdo_kit.dependencies import CurrentPrincipal, OptionalPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.catalog.api.dependencies import Settings
from services.catalog.api.schemas import (
    CertifyIn,
    GroupIn,
    GroupOut,
    ModuleOut,
    ProgramCard,
    ProgramIn,
    ProgramOut,
    SearchPage,
)
from services.catalog.domain.registers import certified_now
from services.catalog.flows import programs as flow
from services.catalog.models import Group, Module, Program, Provider
from services.catalog.queries.programs import find_program, modules_and_groups
from services.catalog.queries.search import SearchParams, search

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


@router.get("/programs", response_model=SearchPage, summary="Поиск программ в Навигаторе")
async def search_programs(
    response: Response,
    rt: Runtime,
    settings: Settings,
    q: Annotated[str | None, Query(max_length=200, description="слова для поиска, по-русски")] = None,
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
):
    params = SearchParams(q=q or None, municipality=municipality, direction=direction, level=level, age=age,
                          certificate=certificate, free_seats=free_seats, weekday=weekday, after=after, ovz=ovz,
                          sort=sort)
    async with rt.sessions() as session:
        rows, total = await search(session, params, rt.clock.today(), page, page_size)
    items = [ProgramCard(**{**row, "rating": round(row["rating"], 2) if row["rating"] is not None else None})
             for row in rows]
    if ttl := settings.search_cache_s:  # the same for everyone: shared caches may keep it
        response.headers["Cache-Control"] = f"public, max-age={ttl}, stale-while-revalidate={settings.search_stale_s}"
    return SearchPage(items=items, total=total, page=page, page_size=page_size)


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
        program, provider = await flow.publish(session, program_id, principal)
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
        return _group_out(await flow.add_group(session, program_id, principal, **body.model_dump()))
