"""Announcing a certificate's balance after money moved, in the same transaction."""
from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.certificates import BalanceChanged
from pfdo_kit.outbox import Outbox
from services.certificates.ledger_store import AVAILABLE
from services.certificates.models import Certificate, FreeEnrollment, FundingPeriod

FREE_REGISTERS = ("significant", "preprofessional", "other")


async def announce_balance(session: AsyncSession, outbox: Outbox, certificate_id: uuid.UUID,
                           period_year: int | None) -> None:
    status, kind, available = (await session.execute(
        select(Certificate.status, Certificate.kind, AVAILABLE).where(Certificate.id == certificate_id))).one()
    free_left: dict[str, int] = {}
    period = await session.get(FundingPeriod, period_year) if period_year is not None else None
    if period is not None:
        used = dict((await session.execute(
            select(FreeEnrollment.program_register, func.count())
            .where(FreeEnrollment.certificate_id == certificate_id, FreeEnrollment.period_year == period_year)
            .group_by(FreeEnrollment.program_register))).all())
        free_left = {r: max(0, int(period.free_limits.get(r, 0)) - used.get(r, 0)) for r in FREE_REGISTERS}
    await outbox.add(session, BalanceChanged(certificate_id=certificate_id, status=status, kind=kind, available_kop=available,
                                             period_year=period_year, free_left=free_left))
