"""Funding periods, one per municipality and year: its operator's parameters, opening and
closing (recorded as runs the job works in batches), and the credits and expiries themselves.
A period credits and expires only its own municipality's certificates.

Each movement's cause names the period's year (`period:2026:credit`; a certificate belongs to
one municipality), so a batch worked again moves nothing twice.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import conflict
from pfdo_kit.municipalities import Municipality, known
from pfdo_kit.outbox import Outbox
from pfdo_kit.transitions import IllegalMove
from services.certificates.domain.access import changes_periods
from services.certificates.domain.periods import Nominal, credit_cause, credit_for, expire_cause, own_money_left
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
from services.certificates.models import Certificate, Child, FundingPeriod, LedgerEntry, Reservation, Run
from services.certificates.queries.periods import credited_so_far, find_period


def nominals_of(period: FundingPeriod) -> list[Nominal]:
    return [Nominal(**n) for n in period.nominals]


def late_credit(period: FundingPeriod, birth: date, ovz: bool, joined_on: date) -> int:
    """What a certificate funded on `joined_on` is credited: the nominal for the months left."""
    return credit_for(nominals_of(period), birth, ovz, period.starts_on, period.ends_on, joined_on)


def _may_change(principal: Principal, municipalities: list[Municipality], municipality: str) -> None:
    """403 unless the principal runs this municipality's money; 422 for a municipality the installation lacks."""
    if not changes_periods(principal, municipality):
        raise forbidden()
    known(municipalities, municipality)


async def put_period(session: AsyncSession, principal: Principal, municipalities: list[Municipality],
                     municipality: str, year: int, values: dict) -> FundingPeriod:
    """Set a draft period's parameters (a new period starts as a draft)."""
    _may_change(principal, municipalities, municipality)
    period = await session.get(FundingPeriod, (municipality, year), with_for_update=True)
    if period is not None and period.status != EDITABLE_PERIOD:
        raise conflict("period-started", "Параметры открытого или закрытого периода менять нельзя")
    if period is None:
        period = FundingPeriod(municipality=municipality, year=year, status=DRAFT, **values)
        session.add(period)
    else:
        for key, value in values.items():
            setattr(period, key, value)
    await session.flush()
    return period


async def _switch(session: AsyncSession, municipality: str, year: int, action: str) -> None:
    period = await find_period(session, municipality, year, lock=True)
    try:
        period.status = PERIOD_TRANSITIONS.next(period.status, action)
    except IllegalMove as refused:
        raise conflict("illegal-transition", PERIOD_TRANSITIONS[refused.action].refusal, field="status") from None


async def open_period(session: AsyncSession, principal: Principal, municipalities: list[Municipality],
                      municipality: str, year: int, now: datetime) -> Run:
    """Open the period; the run credits every funded certificate of the municipality (again: what
    an earlier run left)."""
    _may_change(principal, municipalities, municipality)
    await _switch(session, municipality, year, "open")
    return await request_run(session, "period_open", principal.actor, now, period_year=year, municipality=municipality)


async def close_period(session: AsyncSession, principal: Principal, municipalities: list[Municipality],
                       municipality: str, year: int, now: datetime) -> Run:
    """Close the period; the run expires what is left of the period's own money."""
    _may_change(principal, municipalities, municipality)
    await _switch(session, municipality, year, "close")
    return await request_run(session, "period_close", principal.actor, now, period_year=year,
                             municipality=municipality)


def _funded_after(municipality: str, after: uuid.UUID | None):
    query = (select(Certificate.id, Child.birth_date, Child.ovz).join(Child, Child.id == Certificate.child_id)
             .where(Certificate.kind == FUNDED, Certificate.status == ACTIVE, Certificate.municipality == municipality))
    return query if after is None else query.where(Certificate.id > after)


async def count_funded(session: AsyncSession, municipality: str) -> int:
    return int(await session.scalar(select(func.count()).select_from(_funded_after(municipality, None).subquery())))


async def credit_batch(session: AsyncSession, outbox: Outbox, municipality: str, year: int, after: uuid.UUID | None,
                       size: int) -> Batch:
    """Credit the municipality's next active funded certificates (by id, after `after`) their
    nominal, once, while its budget cap allows; stops when the period is no longer open."""
    period = await session.get(FundingPeriod, (municipality, year), with_for_update=True)  # one creditor at a time
    if period is None or period.status != OPEN:
        return Batch(seen=0, last_id=after, finished=True,
                     interrupted="Период закрыт раньше, чем закончилось зачисление")
    budget_left = period.budget_cap_kop - await credited_so_far(session, municipality, year)
    page = (await session.execute(_funded_after(municipality, after).order_by(Certificate.id).limit(size))).all()
    # Lock the page's certificates (in id order, like every other writer) and keep those still
    # active and funded: one closed meanwhile is not credited. Paging follows the page, not the
    # locked rows, so a certificate dropped here never ends the run early.
    still = set((await session.execute(
        select(Certificate.id).where(Certificate.id.in_([r[0] for r in page]), Certificate.kind == FUNDED,
                                     Certificate.status == ACTIVE, Certificate.municipality == municipality)
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


async def count_certificates(session: AsyncSession, municipality: str) -> int:
    return int(await session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.municipality == municipality)))


def _own_money(year: int):
    """Per certificate: what the period credited it, and what contracts of the period's year hold
    and have debited."""
    credited = (select(func.coalesce(func.sum(LedgerEntry.amount_kop), 0))
                .where(LedgerEntry.certificate_id == Certificate.id, LedgerEntry.kind == "credit",
                       LedgerEntry.cause == credit_cause(year)).scalar_subquery())
    used = (select(func.coalesce(func.sum(Reservation.held_kop + Reservation.debited_kop), 0))
            .where(Reservation.certificate_id == Certificate.id, Reservation.period_year == year).scalar_subquery())
    return credited, used


async def expire_batch(session: AsyncSession, outbox: Outbox, municipality: str, year: int, after: uuid.UUID | None,
                       size: int) -> Batch:
    """At the period's end what is left of its own money expires (domain/periods.own_money_left):
    the municipality's next certificates by id, after `after`. Money another period credited (next
    year's, already on the certificate) and money held for contracts stays."""
    credited, used = _own_money(year)
    query = (select(Certificate.id, AVAILABLE, credited, used).where(Certificate.municipality == municipality)
             .order_by(Certificate.id).limit(size).with_for_update(of=Certificate))
    rows = (await session.execute(query if after is None else query.where(Certificate.id > after))).all()
    moved, moved_kop = 0, 0
    for cert_id, available, credited_kop, used_kop in rows:
        amount = own_money_left(int(available), int(credited_kop), int(used_kop))
        if amount > 0 and not (await post_entry(session, cert_id, "expire", amount, expire_cause(year))).duplicate:
            moved, moved_kop = moved + 1, moved_kop + amount
            await announce_balance(session, outbox, cert_id, year)
    return Batch(len(rows), rows[-1][0] if rows else after, moved, moved_kop, finished=len(rows) < size)
