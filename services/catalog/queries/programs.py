"""A program as its page shows it: the program and provider, if this principal may see them,
with its modules and groups; one group with its program and provider; a provider's own list."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, require_role
from pfdo_kit.errors import not_found
from pfdo_kit.pagination import PageParams, paginate
from services.catalog.domain import access
from services.catalog.models import Group, Module, Program, Provider

NOT_FOUND = "Программа не найдена"
GROUP_NOT_FOUND = "Группа не найдена"


async def find_program(session: AsyncSession, program_id: uuid.UUID, principal: Principal | None,
                       lock: bool = False) -> tuple[Program, Provider]:
    """The program and its provider; 404 for one this principal may not see."""
    program = await session.get(Program, program_id, with_for_update=lock)
    provider = await session.get(Provider, program.provider_id) if program else None
    if program is None or not access.sees_program(principal, program, provider):
        raise not_found(NOT_FOUND)
    return program, provider


async def modules_and_groups(session: AsyncSession, program_id: uuid.UUID) -> tuple[list[Module], list[Group]]:
    # The groups first: modules are never deleted, so each group's module, committed before the group,
    # is among the modules read after it, even in a read session where each statement sees its own moment.
    groups = (await session.execute(select(Group).where(Group.program_id == program_id)
                                    .order_by(Group.starts_on, Group.id))).scalars().all()
    modules = (await session.execute(select(Module).where(Module.program_id == program_id)
                                     .order_by(Module.title, Module.id))).scalars().all()
    return list(modules), list(groups)


async def find_group(session: AsyncSession, group_id: uuid.UUID,
                     principal: Principal | None) -> tuple[Group, Module, Program, Provider]:
    """The group with its module, program and provider; 404 for a group of a program this
    principal may not see (the program's own rule: listed for anyone, else its provider and staff)."""
    row = (await session.execute(
        select(Group, Module, Program, Provider).join(Module, Module.id == Group.module_id)
        .join(Program, Program.id == Group.program_id).join(Provider, Provider.id == Program.provider_id)
        .where(Group.id == group_id))).first()
    if row is None or not access.sees_program(principal, row.Program, row.Provider):
        raise not_found(GROUP_NOT_FOUND)
    return row.Group, row.Module, row.Program, row.Provider


async def own_programs(session: AsyncSession, principal: Principal, status: str | None,
                       params: PageParams) -> tuple[list, int]:
    """A page of the calling provider's programs in every status (newest first), each with its
    number of groups; 403 for anyone but a provider's staff."""
    require_role(principal, "provider")
    groups = select(func.count()).where(Group.program_id == Program.id).scalar_subquery()
    query = select(Program, groups.label("groups")).where(Program.provider_id == principal.provider_id)
    if status:
        query = query.where(Program.status == status)
    return await paginate(session, query.order_by(Program.created_at.desc(), Program.id.desc()), params)


async def own_groups(session: AsyncSession, principal: Principal, params: PageParams) -> tuple[list, int]:
    """A page of the groups of the calling provider's programs (every status), each with its module, program
    and provider, by program title and start: one joined statement per page; 403 for anyone but a provider's
    staff."""
    require_role(principal, "provider")
    query = (select(Group, Module, Program, Provider).join(Module, Module.id == Group.module_id)
             .join(Program, Program.id == Group.program_id).join(Provider, Provider.id == Program.provider_id)
             .where(Program.provider_id == principal.provider_id)
             .order_by(Program.title, Program.id, Group.starts_on, Group.id))
    return await paginate(session, query, params)
