"""What awaits an operator: certificates to verify and providers to approve, from the events
that open and settle them (in any order: a settled check is never reopened)."""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.notifications.models import PendingCheck

CERTIFICATE, PROVIDER = "certificate", "provider"


async def open_check(session: AsyncSession, kind: str, ref: uuid.UUID, municipality: str, label: str,
                     since: datetime) -> None:
    await session.execute(insert(PendingCheck).values(kind=kind, ref=ref, municipality=municipality, label=label,
                                                      since=since).on_conflict_do_nothing())


async def settle(session: AsyncSession, kind: str, ref: uuid.UUID, at: datetime, municipality: str = "",
                 label: str = "") -> None:
    """Close the check; unknown yet, it is recorded closed, so its opening event, arriving late, finds it so."""
    stmt = insert(PendingCheck).values(kind=kind, ref=ref, municipality=municipality, label=label, since=at,
                                       done_at=at)
    await session.execute(stmt.on_conflict_do_update(
        index_elements=[PendingCheck.kind, PendingCheck.ref], set_={"done_at": at},
        where=PendingCheck.done_at.is_(None)))


async def open_by_municipality(session: AsyncSession) -> dict[str, dict[str, list[str]]]:
    """{municipality: {"certificate": [numbers], "provider": [names]}}, oldest first."""
    rows = await session.execute(select(PendingCheck.municipality, PendingCheck.kind, PendingCheck.label)
                                 .where(PendingCheck.done_at.is_(None))
                                 .order_by(PendingCheck.municipality, PendingCheck.since, PendingCheck.ref))
    out: dict[str, dict[str, list[str]]] = {}
    for municipality, kind, label in rows:
        out.setdefault(municipality, {CERTIFICATE: [], PROVIDER: []})[kind].append(label)
    return out
