"""A program's writes: its provider creates, edits, publishes and unpublishes it, adds groups and
closes or reopens their enrollment; the region certifies it. Search's projection follows each in
the same transaction."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import conflict, invalid
from services.catalog.domain import access
from services.catalog.domain.registers import CERTIFIED, certified_now, first_frozen_change, modules_differ
from services.catalog.domain.statuses import DRAFT, MODULES_EDITABLE, PROGRAM_MOVES, PROVIDER_APPROVED
from services.catalog.flows import search_projection
from services.catalog.models import Group, Module, Program, Provider
from services.catalog.queries.programs import find_group, find_program


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


async def edit(session: AsyncSession, program_id: uuid.UUID, principal: Principal, changes: dict,
               modules: list[dict] | None, today: date) -> tuple[Program, Provider]:
    """The given descriptive fields change; modules only while a draft. A listed program's search row
    is rewritten."""
    program, provider = await find_program(session, program_id, principal, lock=True)
    if not access.edits_program(principal, program, provider):
        raise forbidden()
    if modules is not None and program.status not in MODULES_EDITABLE:
        raise conflict("program-modules-frozen", "Модули опубликованной программы менять нельзя: по их часам и "
                       "цене рассчитаны договоры семей", field="modules")
    if certified_now(program.registers, program.certified_until, today):
        await _keep_certified(session, program, changes, modules)
    if changes.get("min_age", program.min_age) > changes.get("max_age", program.max_age):
        raise invalid("min_age", "Минимальный возраст больше максимального")
    for name, value in changes.items():
        setattr(program, name, value)
    if modules:
        await _edit_modules(session, program, modules)
    await session.flush()
    await search_projection.project(session, [program.id], today)
    return program, provider


async def _keep_certified(session: AsyncSession, program: Program, changes: dict, modules: list[dict] | None) -> None:
    """409 for an edit of what the region certified (only the description, the enrollment limit and the
    adaptation for disabled children change without a new certification)."""
    frozen = first_frozen_change({name: getattr(program, name) for name in changes}, changes)
    if frozen is None and modules:
        existing = {m.id: {f: getattr(m, f) for f in ("title", "hours", "price_kop")} for m in (await session.execute(
            select(Module).where(Module.program_id == program.id))).scalars()}
        frozen = "modules" if modules_differ(existing, modules) else None
    if frozen is not None:
        raise conflict("program-certified", "Программа сертифицирована: название, направленность, уровень, форма и "
                       "возраст меняются только после повторной сертификации", field=frozen)


async def _edit_modules(session: AsyncSession, program: Program, modules: list[dict]) -> None:
    existing = {m.id: m for m in (await session.execute(
        select(Module).where(Module.program_id == program.id))).scalars()}
    for fields in modules:
        module_id = fields.pop("id", None)
        if module_id is None:
            session.add(Module(id=uuid.uuid4(), program_id=program.id, **fields))
        elif module_id in existing:
            for name, value in fields.items():
                setattr(existing[module_id], name, value)
        else:
            raise invalid("modules", "Модуль не относится к этой программе")


async def unpublish(session: AsyncSession, program_id: uuid.UUID, principal: Principal,
                    today: date) -> tuple[Program, Provider]:
    """The provider closes enrollment to the whole program: it leaves search at once and takes no new
    applications; what was applied for, contracted or grouped goes on. `publish` reopens it."""
    program, provider = await find_program(session, program_id, principal, lock=True)
    if not access.owns_program(principal, program):
        raise forbidden()
    if not PROGRAM_MOVES.can(program.status, "unpublish"):
        raise conflict("program-not-published", "Программа ещё не опубликована: снимать с публикации нечего",
                       field="status")
    program.status = PROGRAM_MOVES.next(program.status, "unpublish")
    await session.flush()
    await search_projection.project(session, [program.id], today)
    return program, provider


async def set_enrollment(session: AsyncSession, group_id: uuid.UUID, principal: Principal, is_open: bool,
                         today: date) -> tuple[Group, Module, Program, Provider]:
    """The provider stops or restarts taking new applications to one group; search counts a closed
    group's seats as none."""
    group, module, program, provider = await find_group(session, group_id, principal)
    if not access.edits_program(principal, program, provider):
        raise forbidden()
    group.enrollment_open = is_open
    await session.flush()
    await search_projection.refresh_groups(session, [program.id], today)
    return group, module, program, provider


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
