"""A program as its page shows it: the program and provider, if this principal may see them,
with its modules and groups."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found
from services.catalog.domain import access
from services.catalog.models import Group, Module, Program, Provider

NOT_FOUND = "Программа не найдена"


async def find_program(session: AsyncSession, program_id: uuid.UUID, principal: Principal | None,
                       lock: bool = False) -> tuple[Program, Provider]:
    """The program and its provider; 404 for one this principal may not see."""
    program = await session.get(Program, program_id, with_for_update=lock)
    provider = await session.get(Provider, program.provider_id) if program else None
    if program is None or not access.sees_program(principal, program, provider):
        raise not_found(NOT_FOUND)
    return program, provider


async def modules_and_groups(session: AsyncSession, program_id: uuid.UUID) -> tuple[list[Module], list[Group]]:
    modules = (await session.execute(select(Module).where(Module.program_id == program_id)
                                     .order_by(Module.title, Module.id))).scalars().all()
    groups = (await session.execute(select(Group).where(Group.program_id == program_id)
                                    .order_by(Group.starts_on, Group.id))).scalars().all()
    return list(modules), list(groups)
