"""Children as a principal may list or read them, each with its certificate's id, number and status."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import not_found
from pfdo_kit.pagination import PageParams, paginate
from pfdo_kit.text_match import ESCAPE
from services.certificates.domain.access import children_scope, sees_child
from services.certificates.domain.search import ChildSearch
from services.certificates.models import Certificate, Child

CHILD_NOT_FOUND = "Ребёнок не найден"


@dataclass(frozen=True)
class ChildRow:
    child: Child
    certificate_id: uuid.UUID | None
    certificate_number: str | None
    certificate_status: str | None


def _with_certificate():
    return (select(Child, Certificate.id, Certificate.number, Certificate.status)
            .outerjoin(Certificate, Certificate.child_id == Child.id))


def _matching(query, search: ChildSearch):
    """A part of the name (any case), or the whole certificate number, or the whole СНИЛС."""
    found = [Child.full_name.ilike(search.name_pattern, escape=ESCAPE)]
    if search.number is not None:
        found.append(Certificate.number == search.number)
    if search.snils is not None:
        found.append(Child.snils == search.snils)
    return query.where(or_(*found))


async def children_page(session: AsyncSession, principal: Principal, params: PageParams, *,
                        certificate_status: str | None = None,
                        search: ChildSearch | None = None) -> tuple[list[ChildRow], int]:
    """(a page of the children the principal may see, how many in all), in the order they were added."""
    query = _with_certificate()
    scope = children_scope(principal)
    if scope is None:
        raise forbidden()
    if scope == "own":
        query = query.where(Child.owner == principal.subject)
    elif scope == "municipality":
        query = query.where(Child.municipality == principal.municipality)
    if certificate_status is not None:
        query = query.where(Certificate.status == certificate_status)
    if search is not None:
        query = _matching(query, search)
    rows, total = await paginate(session, query.order_by(Child.created_at, Child.id), params)
    return [ChildRow(*row) for row in rows], total


async def visible_child(session: AsyncSession, principal: Principal, child_id: uuid.UUID) -> ChildRow:
    """The child if the principal may see it (its parent, its municipality's staff); otherwise 404."""
    row = (await session.execute(_with_certificate().where(Child.id == child_id))).first()
    if row is None or not sees_child(principal, row[0].owner, row[0].municipality):
        raise not_found(CHILD_NOT_FOUND)
    return ChildRow(*row)
