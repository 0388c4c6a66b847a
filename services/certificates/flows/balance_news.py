"""Announcing certificates' balances after money or status moved, in the same transaction."""
from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import any_, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.catalog import FREE_REGISTERS
from pfdo_events.certificates import BalanceChanged, BalancesChanged
from pfdo_kit.outbox import Outbox
from services.certificates.flows.ledger import AVAILABLE
from services.certificates.models import Certificate, FreeEnrollment, FundingPeriod


async def balance_news(session: AsyncSession, certificate_ids: list[uuid.UUID],
                       period_year: int | None) -> list[BalanceChanged]:
    """What the catalog must learn of these certificates, read in three queries whatever their
    number: each certificate's free places are its own municipality's period's."""
    # = ANY(array): one parameter whatever the number; IN (...) would send a thousand and plan each shape anew
    ids = bindparam("ids", certificate_ids, type_=ARRAY(UUID(as_uuid=True)))
    rows = (await session.execute(select(Certificate.id, Certificate.status, Certificate.kind, Certificate.municipality,
                                         AVAILABLE).where(Certificate.id == any_(ids)).order_by(Certificate.id))).all()
    limits: dict[str, dict] = {}
    used: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    if period_year is not None and rows:
        municipalities = sorted({r.municipality for r in rows})
        limits = dict((await session.execute(
            select(FundingPeriod.municipality, FundingPeriod.free_limits).where(
                FundingPeriod.year == period_year, FundingPeriod.municipality.in_(municipalities)))).all())
    if limits:
        for c, r, n in (await session.execute(
                select(FreeEnrollment.certificate_id, FreeEnrollment.program_register, func.count())
                .where(FreeEnrollment.certificate_id == any_(ids), FreeEnrollment.period_year == period_year)
                .group_by(FreeEnrollment.certificate_id, FreeEnrollment.program_register))).all():
            used[c][r] = n
    return [BalanceChanged(certificate_id=cert_id, status=status, kind=kind, available_kop=available,
                           period_year=period_year,
                           free_left=free_left(limits.get(municipality), used[cert_id]))
            for cert_id, status, kind, municipality, available in rows]


def free_left(free_limits: dict | None, used: dict[str, int]) -> dict[str, int]:
    """The free-program places a certificate has left per register, from its period's limits
    (None: no period, nothing to tell) and the places it took (`used`, by register)."""
    if free_limits is None:
        return {}
    return {r: max(0, int(free_limits.get(r, 0)) - used.get(r, 0)) for r in FREE_REGISTERS}


async def announce_balance(session: AsyncSession, outbox: Outbox, certificate_id: uuid.UUID,
                           period_year: int | None) -> None:
    for news in await balance_news(session, [certificate_id], period_year):
        await outbox.add(session, news)


async def announce_balances(session: AsyncSession, outbox: Outbox, certificate_ids: list[uuid.UUID],
                            period_year: int | None) -> None:
    """Many certificates' news in one message (a batch of debits)."""
    if news := await balance_news(session, certificate_ids, period_year):
        await outbox.add(session, BalancesChanged(balances=news))
