"""Opening and closing a funding period over every certificate, in restartable batches.

Each movement's cause names the period (`period:2026:credit`), so running a batch again
moves nothing twice; progress goes to the log after each batch.
"""
from __future__ import annotations

import logging
import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pfdo_kit.outbox import Outbox
from services.certificates.balance_news import announce_balance
from services.certificates.domain.periods import Nominal, credit_for
from services.certificates.ledger_store import AVAILABLE, post
from services.certificates.models import Certificate, Child, FundingPeriod, LedgerEntry

log = logging.getLogger(__name__)


class BudgetExhausted(Exception):
    """Crediting more would pass the period's budget cap."""


def credit_cause(year: int) -> str:
    return f"period:{year}:credit"


async def credited_so_far(session: AsyncSession, year: int) -> int:
    return int(await session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount_kop), 0)).where(
        LedgerEntry.kind == "credit", LedgerEntry.cause == credit_cause(year))))


async def _credited(session: AsyncSession, certificate_id: uuid.UUID, year: int) -> bool:
    return await session.scalar(select(LedgerEntry.id).where(
        LedgerEntry.certificate_id == certificate_id, LedgerEntry.kind == "credit",
        LedgerEntry.cause == credit_cause(year))) is not None


def nominals_of(period: FundingPeriod) -> list[Nominal]:
    return [Nominal(**n) for n in period.nominals]


async def credit_funded(sessions: async_sessionmaker[AsyncSession], outbox: Outbox, period: FundingPeriod,
                        batch: int = 500) -> int:
    """Credit every active funded certificate its nominal once. Returns entries made now."""
    nominals, made, after = nominals_of(period), 0, uuid.UUID(int=0)
    while True:
        exhausted = False
        async with sessions() as session, session.begin():
            await session.get(FundingPeriod, period.year, with_for_update=True)  # one creditor at a time
            budget_left = period.budget_cap_kop - await credited_so_far(session, period.year)
            rows = (await session.execute(
                select(Certificate.id, Child.birth_date, Child.ovz)
                .join(Child, Child.id == Certificate.child_id)
                .where(Certificate.kind == "funded", Certificate.status == "active", Certificate.id > after)
                .order_by(Certificate.id).limit(batch)
            )).all()
            for cert_id, birth, ovz in rows:
                amount = credit_for(nominals, birth, ovz, period.starts_on, period.ends_on, period.starts_on)
                if not amount:
                    continue
                if amount > budget_left and not await _credited(session, cert_id, period.year):
                    exhausted = True  # keep what this batch credited; stop before the cap
                    break
                posted = await post(session, cert_id, "credit", amount, credit_cause(period.year))
                if not posted.duplicate:
                    budget_left -= amount
                    made += 1
                    await announce_balance(session, outbox, cert_id, period.year)
        if exhausted:
            raise BudgetExhausted(f"period {period.year}: cap reached after {made} credits in this run")
        if not rows:
            break
        after = rows[-1][0]
        log.info("period credit progress", extra={"year": period.year, "credited": made, "last": str(after)})
    return made


async def expire_unreserved(sessions: async_sessionmaker[AsyncSession], outbox: Outbox, year: int,
                            batch: int = 500) -> int:
    """At the period's end what is not reserved expires. Returns the kopecks expired now."""
    expired, after = 0, uuid.UUID(int=0)
    while True:
        async with sessions() as session, session.begin():
            rows = (await session.execute(
                select(Certificate.id, AVAILABLE.label("available"))
                .where(Certificate.id > after).order_by(Certificate.id).limit(batch)
                .with_for_update()
            )).all()
            for cert_id, available in rows:
                if available > 0:
                    posted = await post(session, cert_id, "expire", available, f"period:{year}:expire")
                    if not posted.duplicate:
                        expired += available
                        await announce_balance(session, outbox, cert_id, year)
        if not rows:
            break
        after = rows[-1][0]
        log.info("period expiry progress", extra={"year": year, "expired_kop": expired, "last": str(after)})
    return expired


def late_credit(period: FundingPeriod, birth: date, ovz: bool, joined_on: date) -> int:
    return credit_for(nominals_of(period), birth, ovz, period.starts_on, period.ends_on, joined_on)
