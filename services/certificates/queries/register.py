"""The register of certificates (реестр сертификатов) of a municipality or of the whole region."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.certificates.models import Certificate, Child


async def certificate_register(session: AsyncSession, municipality: str | None, status: str | None,
                               params: PageParams | None) -> tuple[list[tuple[Certificate, Child | None]], int]:
    """(certificate, its child) by number, a page or (`params` None) all, and how many in all."""
    query = select(Certificate, Child).outerjoin(Child, Child.id == Certificate.child_id)
    if municipality is not None:
        query = query.where(Certificate.municipality == municipality)
    if status is not None:
        query = query.where(Certificate.status == status)
    query = query.order_by(Certificate.number)
    if params is not None:
        rows, total = await paginate(session, query, params)
    else:
        rows = (await session.execute(query)).all()
        total = len(rows)
    return [(cert, child) for cert, child in rows], total
