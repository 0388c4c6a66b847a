"""Children as a principal may list them."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden
from services.certificates.domain.access import children_scope
from services.certificates.models import Certificate, Child


async def children_page(session: AsyncSession, principal: Principal, page: int,
                        page_size: int) -> tuple[list[tuple[Child, uuid.UUID | None]], int]:
    """(children with their certificate's id, how many in all) that the principal may see."""
    query = select(Child, Certificate.id).outerjoin(Certificate, Certificate.child_id == Child.id)
    scope = children_scope(principal)
    if scope is None:
        raise forbidden()
    if scope == "own":
        query = query.where(Child.owner == principal.subject)
    elif scope == "municipality":
        query = query.where(Child.municipality == principal.municipality)
    total = (await session.execute(select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = (await session.execute(
        query.order_by(Child.created_at, Child.id).offset((page - 1) * page_size).limit(page_size))).all()
    return [(child, cert_id) for child, cert_id in rows], total
