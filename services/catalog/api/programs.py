"""Programs, their modules and groups: written by their provider, certified by the
operator, found by anyone."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, current_principal, forbidden, optional_principal, require_role
from pfdo_kit.errors import API_ERRORS, conflict, invalid, not_found
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
from services.catalog.models import Group, Module, Program, Provider
from services.catalog.search import SearchParams, count_sql, search_sql

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=API_ERRORS)
NOT_FOUND = "Программа не найдена"


def _owns(principal: Principal | None, program: Program) -> bool:
    return principal is not None and principal.role == "provider" and principal.provider_id == program.provider_id


def _staff(principal: Principal | None, program: Program) -> bool:
    return principal is not None and (principal.role == "admin" or (
        principal.role == "operator" and principal.municipality == program.municipality))


async def _program(session: AsyncSession, program_id: uuid.UUID, principal: Principal | None,
                   lock: bool = False) -> tuple[Program, Provider]:
    program = await session.get(Program, program_id, with_for_update=lock)
    provider = await session.get(Provider, program.provider_id) if program else None
    public = program is not None and program.status == "published" and provider.status == "approved"
    if program is None or not (public or _owns(principal, program) or _staff(principal, program)):
        raise not_found(NOT_FOUND)
    return program, provider


def _group_out(g: Group) -> GroupOut:
    return GroupOut(id=g.id, module_id=g.module_id, venue=g.venue, teacher=g.teacher, schedule=g.schedule,
                    starts_on=g.starts_on, ends_on=g.ends_on, capacity=g.capacity, free_seats=g.capacity - g.taken,
                    enrollment_open=g.enrollment_open)


async def _program_out(session: AsyncSession, program: Program, provider: Provider) -> ProgramOut:
    modules = (await session.execute(select(Module).where(Module.program_id == program.id)
                                     .order_by(Module.title, Module.id))).scalars().all()
    groups = (await session.execute(select(Group).where(Group.program_id == program.id)
                                    .order_by(Group.starts_on, Group.id))).scalars().all()
    today = date.today()
    return ProgramOut(
        id=program.id, provider_id=program.provider_id, provider_name=provider.short_name, status=program.status,
        title=program.title, description=program.description, direction=program.direction, level=program.level,
        form=program.form, min_age=program.min_age, max_age=program.max_age, ovz_adapted=program.ovz_adapted,
        registers=program.registers,
        certified="certified" in program.registers and bool(program.certified_until and program.certified_until >= today),
        certification_score=program.certification_score, certified_until=program.certified_until,
        municipality=program.municipality,
        rating=round(program.rating_sum / program.rating_count, 2) if program.rating_count else None,
        reviews=program.rating_count,
        modules=[ModuleOut(id=m.id, title=m.title, hours=m.hours, price_kop=m.price_kop) for m in modules],
        groups=[_group_out(g) for g in groups],
    )


@router.get("/programs", response_model=SearchPage, summary="Поиск программ в Навигаторе")
async def search_programs(
    request: Request,
    response: Response,
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
    sql, values = search_sql(params, date.today(), page_size, (page - 1) * page_size)
    async with request.app.state.runtime.sessions() as session:
        rows = (await session.execute(text(sql), values)).mappings().all()
        if rows:
            total = rows[0]["total"]
        else:
            sql, values = count_sql(params, date.today())
            total = (await session.execute(text(sql), values)).scalar_one()
    items = [ProgramCard(**{**row, "rating": round(row["rating"], 2) if row["rating"] is not None else None})
             for row in rows]
    settings = request.app.state.settings
    if ttl := settings.search_cache_s:  # the same for everyone: shared caches may keep it
        response.headers["Cache-Control"] = f"public, max-age={ttl}, stale-while-revalidate={settings.search_stale_s}"
    return SearchPage(items=items, total=total, page=page, page_size=page_size)


@router.post("/programs", status_code=status.HTTP_201_CREATED, response_model=ProgramOut)
async def create_program(body: ProgramIn, request: Request,
                         principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "provider")
    async with request.app.state.runtime.sessions() as session, session.begin():
        provider = await session.get(Provider, principal.provider_id) if principal.provider_id else None
        if provider is None or provider.status in ("rejected", "excluded"):
            raise forbidden()
        program = Program(
            id=uuid.uuid4(), provider_id=provider.id, status="draft", municipality=provider.municipality,
            registers=list(body.free_registers), rating_sum=0, rating_count=0,
            **body.model_dump(exclude={"modules", "free_registers"}),
        )
        session.add(program)
        await session.flush()
        for m in body.modules:
            session.add(Module(id=uuid.uuid4(), program_id=program.id, **m.model_dump()))
        await session.flush()
        return await _program_out(session, program, provider)


@router.get("/programs/{program_id}", response_model=ProgramOut)
async def get_program(program_id: uuid.UUID, request: Request,
                      principal: Annotated[Principal | None, Depends(optional_principal)]):
    async with request.app.state.runtime.sessions() as session:
        program, provider = await _program(session, program_id, principal)
        return await _program_out(session, program, provider)


@router.post("/programs/{program_id}/publish", response_model=ProgramOut)
async def publish_program(program_id: uuid.UUID, request: Request,
                          principal: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session, session.begin():
        program, provider = await _program(session, program_id, principal, lock=True)
        if not _owns(principal, program):
            raise forbidden()
        if provider.status != "approved":
            raise conflict("provider-not-active", "Публиковать программы может только допущенный поставщик")
        program.status = "published"
        await session.flush()
        return await _program_out(session, program, provider)


@router.post("/programs/{program_id}/certify", response_model=ProgramOut)
async def certify_program(program_id: uuid.UUID, body: CertifyIn, request: Request,
                          principal: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session, session.begin():
        program, provider = await _program(session, program_id, principal, lock=True)
        if not _staff(principal, program):
            raise forbidden()
        if body.valid_until < date.today():
            raise invalid("valid_until", "Срок действия сертификации уже истёк")
        program.registers = sorted(set(program.registers) | {"certified"})
        program.certification_score, program.certified_until = body.score, body.valid_until
        await session.flush()
        return await _program_out(session, program, provider)


@router.post("/programs/{program_id}/groups", status_code=status.HTTP_201_CREATED, response_model=GroupOut)
async def add_group(program_id: uuid.UUID, body: GroupIn, request: Request,
                    principal: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session, session.begin():
        program, _ = await _program(session, program_id, principal)
        if not _owns(principal, program):
            raise forbidden()
        module = await session.get(Module, body.module_id)
        if module is None or module.program_id != program.id:
            raise invalid("module_id", "Модуль не относится к этой программе")
        group = Group(id=uuid.uuid4(), program_id=program.id, module_id=body.module_id, venue=body.venue,
                      teacher=body.teacher, schedule=[lesson.model_dump() for lesson in body.schedule],
                      weekdays=sorted({lesson.weekday for lesson in body.schedule}), starts_on=body.starts_on,
                      ends_on=body.ends_on, capacity=body.capacity, taken=0, enrollment_open=body.enrollment_open)
        session.add(group)
        await session.flush()
        return _group_out(group)
