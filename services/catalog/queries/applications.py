"""Applications as a principal may read them, each with what its family's cabinet shows: the
program's title, the group's module, teacher, venue and schedule, the provider's name — one
joined statement per page, not a read per application. Plain Core rows, flat: `row.status`,
`row.program_title`."""
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

applications, groups, modules, programs, providers = (
    m.__table__ for m in (Application, Group, Module, Program, Provider))

# What a cabinet shows of an application beside its own columns; a write that read these already
# answers without reading them again.
SHOWN_BESIDE = (programs.c.title.label("program_title"), providers.c.short_name.label("provider_name"),
                modules.c.title.label("module_title"), groups.c.teacher, groups.c.venue, groups.c.schedule)


def shown_columns() -> list:
    return [*applications.c, *SHOWN_BESIDE]


def shown_from(query: Select) -> Select:
    """`query` over the application joined to what is shown beside it."""
    return (query.select_from(applications)
            .join(programs, programs.c.id == applications.c.program_id)
            .join(providers, providers.c.id == programs.c.provider_id)
            .join(groups, groups.c.id == applications.c.group_id)
            .join(modules, modules.c.id == groups.c.module_id))


def _shown() -> Select:
    """Each application with the names and schedule shown beside it."""
    return shown_from(select(*shown_columns()))


ORDERS = {
    "newest": (applications.c.created_at.desc(), applications.c.id.desc()),
    # the most urgent first: the soonest day to decide by, then the longest waiting
    "deadline": (applications.c.decide_by.asc(), applications.c.created_at.asc(), applications.c.id.asc()),
}


async def applications_for(session: AsyncSession, principal: Principal, status: str | None,
                           params: PageParams, sort: str = "newest") -> tuple[list, int]:
    """A page of the applications this principal may see (in `ORDERS[sort]`) and their total."""
    scope = access.applications_scope(principal)
    query = _shown().where(*(applications.c[column] == value for column, value in scope.items()))
    if status:
        query = query.where(applications.c.status == status)
    return await paginate(session, query.order_by(*ORDERS[sort]), params)


async def application_for(session: AsyncSession, principal: Principal, application_id: uuid.UUID):
    """One application as shown; 404 for one this principal may not see."""
    row = (await session.execute(_shown().where(applications.c.id == application_id))).first()
    if row is None or not access.sees_application(principal, row):
        raise not_found(NOT_FOUND)
    return row
