"""What the service keeps of an application and its contract (one id) from the events about it,
in whatever order they arrive: facts (a newer non-empty value replaces the old) and marks of
closing (the first one stays)."""
from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.models import Enrollment

_COLUMNS = Enrollment.__table__.c


async def keep(session: AsyncSession, enrollment_id: uuid.UUID, facts: dict[str, Any] | None = None,
               marks: dict[str, Any] | None = None) -> Enrollment:
    facts, marks = facts or {}, marks or {}
    stmt = insert(Enrollment).values(id=enrollment_id, **facts, **marks)
    updates = {name: func.coalesce(stmt.excluded[name], _COLUMNS[name]) for name in facts}
    updates |= {name: func.coalesce(_COLUMNS[name], stmt.excluded[name]) for name in marks}
    if updates:
        stmt = stmt.on_conflict_do_update(index_elements=[Enrollment.id], set_=updates)
    else:
        stmt = stmt.on_conflict_do_nothing()
    await session.execute(stmt)
    return await session.get(Enrollment, enrollment_id, populate_existing=True)


async def known(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, Enrollment]:
    if not ids:
        return {}
    rows = (await session.execute(select(Enrollment).where(Enrollment.id.in_(ids)))).scalars()
    return {e.id: e for e in rows}
