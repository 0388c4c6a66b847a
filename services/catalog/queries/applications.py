"""Applications as a principal may read them, each with what its family's cabinet shows: the
program's title, the group's module, teacher, venue and schedule, the provider's name — one
joined statement per page, not a read per application."""
from __future__ import annotations

import uuid

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import not_found
from pfdo_kit.pagination import PageParams, paginate
from services.catalog.domain import access
from services.catalog.models import Application, Group, Module, Program, Provider

NOT_FOUND = "Заявка не найдена"


def _shown() -> Select:
    """Each application with the names and schedule shown beside it."""
    return (select(Application, Program.title.label("program_title"), Provider.short_name.label("provider_name"),
                   Module.title.label("module_title"), Group.teacher, Group.venue, Group.schedule)
            .join(Program, Program.id == Application.program_id)
            .join(Provider, Provider.id == Program.provider_id)
            .join(Group, Group.id == Application.group_id)
            .join(Module, Module.id == Group.module_id))


ORDERS = {
    "newest": (Application.created_at.desc(), Application.id.desc()),
    # the most urgent first: the soonest day to decide by, then the longest waiting
    "deadline": (Application.decide_by.asc(), Application.created_at.asc(), Application.id.asc()),
}


async def applications_for(session: AsyncSession, principal: Principal, status: str | None,
                           params: PageParams, sort: str = "newest") -> tuple[list, int]:
    """A page of the applications this principal may see (in `ORDERS[sort]`) and their total."""
    scope = access.applications_scope(principal)
    query = _shown().where(*(getattr(Application, column) == value for column, value in scope.items()))
    if status:
        query = query.where(Application.status == status)
    return await paginate(session, query.order_by(*ORDERS[sort]), params)


async def application_for(session: AsyncSession, principal: Principal, application_id: uuid.UUID):
    """One application as shown; 404 for one this principal may not see."""
    row = (await session.execute(_shown().where(Application.id == application_id))).first()
    if row is None or not access.sees_application(principal, row.Application):
        raise not_found(NOT_FOUND)
    return row
