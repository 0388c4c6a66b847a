"""A program's writes: its provider creates and publishes it and adds groups; the region
certifies it. Search's projection follows each in the same transaction."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import conflict, invalid
from services.catalog.domain import access
from services.catalog.domain.registers import CERTIFIED
from services.catalog.domain.statuses import DRAFT, PROGRAM_MOVES, PROVIDER_APPROVED
from services.catalog.flows import search_projection
from services.catalog.models import Group, Module, Program, Provider
from services.catalog.queries.programs import find_program


async def create(session: AsyncSession, principal: Principal, fields: dict, free_registers: list[str],
                 modules: list[dict]) -> tuple[Program, Provider]:
    """A draft program with its modules, in the provider's municipality."""
    provider = await session.get(Provider, principal.provider_id) if principal.provider_id else None
    if not access.may_write_programs(principal, provider):
        raise forbidden()
    program = Program(id=uuid.uuid4(), provider_id=provider.id, status=DRAFT, municipality=provider.municipality,
                      registers=list(free_registers), rating_sum=0, rating_count=0, **fields)
    session.add(program)
    await session.flush()
    for module in modules:
        session.add(Module(id=uuid.uuid4(), program_id=program.id, **module))
    await session.flush()
    return program, provider


async def publish(session: AsyncSession, program_id: uuid.UUID, principal: Principal,
                  today: date) -> tuple[Program, Provider]:
    program, provider = await find_program(session, program_id, principal, lock=True)
    if not access.owns_program(principal, program):
        raise forbidden()
    if provider.status != PROVIDER_APPROVED:
        raise conflict("provider-not-active", "Публиковать программы может только допущенный поставщик")
    program.status = PROGRAM_MOVES.next(program.status, "publish")
    await session.flush()
    await search_projection.project(session, [program.id], today)
    return program, provider


async def certify(session: AsyncSession, program_id: uuid.UUID, principal: Principal, score: int,
                  valid_until: date, today: date) -> tuple[Program, Provider]:
    """The program enters the certified register until `valid_until`."""
    program, provider = await find_program(session, program_id, principal, lock=True)
    if not access.certifies_programs(principal):
        raise forbidden()
    if valid_until < today:
        raise invalid("valid_until", "Срок действия сертификации уже истёк")
    program.registers = sorted(set(program.registers) | {CERTIFIED})
    program.certification_score, program.certified_until = score, valid_until
    await session.flush()
    await search_projection.project(session, [program.id], today)
    return program, provider


async def add_group(session: AsyncSession, program_id: uuid.UUID, principal: Principal, module_id: uuid.UUID,
                    schedule: list[dict], today: date, **fields) -> Group:
    """A group of one of the program's modules; `fields`: venue, teacher, dates, capacity, enrollment_open."""
    program, _ = await find_program(session, program_id, principal)
    if not access.owns_program(principal, program):
        raise forbidden()
    module = await session.get(Module, module_id)
    if module is None or module.program_id != program.id:
        raise invalid("module_id", "Модуль не относится к этой программе")
    group = Group(id=uuid.uuid4(), program_id=program.id, module_id=module_id, schedule=schedule,
                  weekdays=sorted({lesson["weekday"] for lesson in schedule}), taken=0, **fields)
    session.add(group)
    await session.flush()
    await search_projection.refresh_groups(session, [program.id], today)
    return group
