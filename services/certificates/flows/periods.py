"""Funding periods: the operator's parameters, opening and closing (recorded as runs the job
works in batches), and the credits themselves.

Each movement's cause names the period (`period:2026:credit`), so a batch worked again moves
nothing twice.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import conflict
from pfdo_kit.outbox import Outbox
from pfdo_kit.transitions import IllegalMove
from services.certificates.domain.periods import Nominal, credit_cause, credit_for, expire_cause
from services.certificates.domain.statuses import (
    ACTIVE,
    DRAFT,
    EDITABLE_PERIOD,
    FUNDED,
    OPEN,
    PERIOD_TRANSITIONS,
)
from services.certificates.flows.balance_news import announce_balance
from services.certificates.flows.ledger import AVAILABLE, post_entry
from services.certificates.flows.runs import Batch, request_run
from services.certificates.models import Certificate, Child, FundingPeriod, LedgerEntry, Run
from services.certificates.queries.periods import credited_so_far, find_period


def nominals_of(period: FundingPeriod) -> list[Nominal]:
    return [Nominal(**n) for n in period.nominals]


def late_credit(period: FundingPeriod, birth: date, ovz: bool, joined_on: date) -> int:
    """What a certificate funded on `joined_on` is credited: the nominal for the months left."""
    return credit_for(nominals_of(period), birth, ovz, period.starts_on, period.ends_on, joined_on)


async def put_period(session: AsyncSession, year: int, values: dict) -> FundingPeriod:
    """Set a draft period's parameters (a new period starts as a draft)."""
    period = await session.get(FundingPeriod, year, with_for_update=True)
    if period is not None and period.status != EDITABLE_PERIOD:
        raise conflict("period-started", "Параметры открытого или закрытого периода менять нельзя")
    if period is None:
        period = FundingPeriod(year=year, status=DRAFT, **values)
        session.add(period)
    else:
        for key, value in values.items():
            setattr(period, key, value)
    await session.flush()
    return period


async def _switch(session: AsyncSession, year: int, action: str) -> None:
    period = await find_period(session, year, lock=True)
    try:
        period.status = PERIOD_TRANSITIONS.next(period.status, action)
    except IllegalMove as refused:
        raise conflict("illegal-transition", PERIOD_TRANSITIONS[refused.action].refusal, field="status") from None


async def open_period(session: AsyncSession, principal: Principal, year: int, now: datetime) -> Run:
    """Open the period; the run credits every funded certificate (again: what an earlier run left)."""
    await _switch(session, year, "open")
    return await request_run(session, "period_open", principal.actor, now, period_year=year)


async def close_period(session: AsyncSession, principal: Principal, year: int, now: datetime) -> Run:
    """Close the period; the run expires what is not reserved."""
    await _switch(session, year, "close")
    return await request_run(session, "period_close", principal.actor, now, period_year=year)


def _funded_after(after: uuid.UUID | None):
    query = (select(Certificate.id, Child.birth_date, Child.ovz).join(Child, Child.id == Certificate.child_id)
             .where(Certificate.kind == FUNDED, Certificate.status == ACTIVE))
    return query if after is None else query.where(Certificate.id > after)


async def count_funded(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(_funded_after(None).subquery())))


async def credit_batch(session: AsyncSession, outbox: Outbox, year: int, after: uuid.UUID | None,
                       size: int) -> Batch:
    """Credit the next active funded certificates (by id, after `after`) their nominal, once,
    while the budget cap allows; stops when the period is no longer open."""
    period = await session.get(FundingPeriod, year, with_for_update=True)  # one creditor at a time
    if period is None or period.status != OPEN:
        return Batch(seen=0, last_id=after, finished=True,
                     interrupted="Период закрыт раньше, чем закончилось зачисление")
    budget_left = period.budget_cap_kop - await credited_so_far(session, year)
    page = (await session.execute(_funded_after(after).order_by(Certificate.id).limit(size))).all()
    # Lock the page's certificates (in id order, like every other writer) and keep those still
    # active and funded: one closed meanwhile is not credited. Paging follows the page, not the
    # locked rows, so a certificate dropped here never ends the run early.
    still = set((await session.execute(
        select(Certificate.id).where(Certificate.id.in_([r[0] for r in page]), Certificate.kind == FUNDED,
                                     Certificate.status == ACTIVE)
        .order_by(Certificate.id).with_for_update())).scalars()) if page else set()
    nominals, seen, moved, moved_kop = nominals_of(period), 0, 0, 0
    for cert_id, birth, ovz in page:
        if cert_id not in still:
            seen, after = seen + 1, cert_id
            continue
        amount = credit_for(nominals, birth, ovz, period.starts_on, period.ends_on, period.starts_on)
        if amount and amount > budget_left and not await _credited(session, cert_id, year):
            # keep what this batch credited; stop before the cap
            return Batch(seen, after, moved, moved_kop, stopped_at_budget=True, finished=True)
        if amount and not (await post_entry(session, cert_id, "credit", amount, credit_cause(year))).duplicate:
            budget_left -= amount
            moved, moved_kop = moved + 1, moved_kop + amount
            await announce_balance(session, outbox, cert_id, year)
        seen, after = seen + 1, cert_id
    return Batch(seen, after, moved, moved_kop, finished=len(page) < size)


async def _credited(session: AsyncSession, certificate_id: uuid.UUID, year: int) -> bool:
    return await session.scalar(select(LedgerEntry.id).where(
        LedgerEntry.certificate_id == certificate_id, LedgerEntry.kind == "credit",
        LedgerEntry.cause == credit_cause(year))) is not None


async def count_certificates(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Certificate)))


async def expire_batch(session: AsyncSession, outbox: Outbox, year: int, after: uuid.UUID | None,
                       size: int) -> Batch:
    """At the period's end what is not reserved expires: the next certificates by id, after `after`."""
    query = select(Certificate.id, AVAILABLE).order_by(Certificate.id).limit(size).with_for_update()
    rows = (await session.execute(query if after is None else query.where(Certificate.id > after))).all()
    moved, moved_kop = 0, 0
    for cert_id, available in rows:
        if available > 0 and not (await post_entry(session, cert_id, "expire", available,
                                                   expire_cause(year))).duplicate:
            moved, moved_kop = moved + 1, moved_kop + available
            await announce_balance(session, outbox, cert_id, year)
    return Batch(len(rows), rows[-1][0] if rows else after, moved, moved_kop, finished=len(rows) < size)
