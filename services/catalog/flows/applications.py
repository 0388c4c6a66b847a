"""The application's writes. The family applies, cancels, confirms a seat offered from the
waitlist; the provider accepts or rejects; the enrollment saga's answers (funds reserved or
refused, contract signed or terminated) and the deadlines move it on. A seat an application
gives up passes straight to the first family on the group's waitlist. Every move goes through
domain/statuses; events are staged in the caller's transaction, and each move the family or
the provider should hear of (submitted, rejected, waitlisted, a seat offered, expired,
cancelled) names whose application it is and which program.

Set-based Core statements, no ORM unit of work: these run for every application of an enrollment
rush. An action reads its application once, locked, joined to everything its event and answer
show; an event's move is one conditional UPDATE. A write hands back the application as it left
it (its columns and what is shown beside them, queries/applications), so nothing is read twice."""
from __future__ import annotations

import functools
import uuid
from datetime import date, datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.catalog import (
    ApplicationAccepted,
    ApplicationCancelled,
    ApplicationExpired,
    ApplicationRejected,
    ApplicationSubmitted,
    ApplicationWaitlisted,
    Lesson,
    MonthlyShare,
    SeatOffered,
)
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.calendar import WorkingCalendar
from pfdo_kit.clock import Clock
from pfdo_kit.errors import ProblemError, conflict, invalid, not_found
from pfdo_kit.outbox import Outbox
from pfdo_kit.precompiled import Precompiled, bound, named
from services.catalog.domain import access
from services.catalog.domain.deadlines import decide_by
from services.catalog.domain.groups import group_name
from services.catalog.domain.payment_check import REASONS_RU, Check, check
from services.catalog.domain.payment_plan import Pricing, contract_plan
from services.catalog.domain.registers import register_for
from services.catalog.domain.statuses import (
    APPLICATION_MOVES,
    DRAFT,
    OFFERED,
    PUBLISHED,
    SUBMITTED,
)
from services.catalog.flows.seats import free_seat, take_seat
from services.catalog.models import Application, Group, Module, Program
from services.catalog.queries.applications import shown_columns, shown_from
from services.catalog.queries.payment_inputs import payment_inputs

NOT_FOUND = "Заявка не найдена"

applications, groups, modules, programs = (m.__table__ for m in (Application, Group, Module, Program))
A = applications.c

# What acting on an application reads in its one locked statement: the application as shown, and
# what a seat (the program's limit) and an acceptance's event (register, price, dates) need.
_ACTING = (*shown_columns(), programs.c.registers, programs.c.certified_until, programs.c.direction,
           programs.c.enrollment_limit, groups.c.starts_on, groups.c.ends_on, modules.c.hours, modules.c.price_kop)


async def apply(session: AsyncSession, outbox: Outbox, principal: Principal, group_id: uuid.UUID,
                certificate_id: uuid.UUID, today: date, calendar: WorkingCalendar, pricing: Pricing) -> SimpleNamespace:
    """Take the family's application, unless the payment check (the one `GET /groups/{id}/cost`
    answers with) calls it impossible: then it is refused at once with every reason. A full group
    still takes it; the provider's acceptance puts it on the waitlist."""
    if not access.may_act(principal, "apply"):
        raise forbidden()
    found = await payment_inputs(session, group_id, today, certificate_id=certificate_id)
    cert, group, program, provider, module = found.cert, found.group, found.program, found.provider, found.module
    if cert is None or cert.owner != principal.subject:
        raise invalid("certificate_id", "Сертификат не найден среди сертификатов ваших детей")
    if group is None or program.status == DRAFT:
        raise invalid("group_id", "Группа не найдена или программа не опубликована")
    if program.status != PUBLISHED:
        raise conflict("program-unpublished", "Поставщик снял программу с публикации: набор закрыт",
                       field="group_id")
    checked = check(cert, program, provider, module, group, today, pricing, found.agreement)
    if checked.verdict.payment == "impossible":
        raise _impossible(checked)
    app = dict(id=uuid.uuid4(), status=SUBMITTED, owner=principal.subject, child_id=cert.child_id,
               certificate_id=cert.id, group_id=group.id, program_id=program.id, provider_id=provider.id,
               municipality=program.municipality, payer=cert.municipality, holds_seat=False,
               decide_by=decide_by(today, calendar))
    try:
        stamps = await _INSERT.first(session, **app)
    except IntegrityError:
        raise conflict("application-exists", "Заявка этого ребёнка в эту группу уже подана", field="group_id") from None
    await outbox.add(session, ApplicationSubmitted(application_id=app["id"], child_id=cert.child_id,
                                                   certificate_id=cert.id, provider_id=provider.id,
                                                   group_id=group.id, owner=principal.subject,
                                                   program_title=program.title, decide_by=app["decide_by"]))
    return SimpleNamespace(**app, reason=None, offered_until=None, enrolled_at=None, **stamps._asdict(),
                           program_title=program.title, provider_name=provider.short_name, module_title=module.title,
                           teacher=group.teacher, venue=group.venue, schedule=group.schedule)


async def accept(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                 today: date, pricing: Pricing) -> SimpleNamespace:
    """Hold a seat and announce the acceptance; a full group (or program) puts the application
    on the waitlist instead."""
    app = await _to_act_on(session, application_id, principal, "accept", lock_program=True)
    if await take_seat(session, app.group_id, today, app.program_id, app.enrollment_limit):
        await _set(session, app, status=_next(app, "accept"), holds_seat=True, offered_until=None)
        await _announce_accepted(session, outbox, app, today, pricing)
    else:
        await _set(session, app, status=_next(app, "waitlist"))
        await outbox.add(session, ApplicationWaitlisted(**_news(app)))
    return app


async def reject(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                 reason: str, clock: Clock, offer_hours: int) -> SimpleNamespace:
    app = await _to_act_on(session, application_id, principal, "reject")
    await _end(session, outbox, app, "reject", clock, offer_hours, reason)
    await outbox.add(session, ApplicationRejected(**_news(app), reason=reason))
    return app


async def cancel(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                 clock: Clock, offer_hours: int) -> SimpleNamespace:
    """The family withdraws; billing learns whether a contract was on its way."""
    app = await _to_act_on(session, application_id, principal, "cancel")
    was_accepted = app.holds_seat and app.status != OFFERED
    await _end(session, outbox, app, "cancel", clock, offer_hours)
    await outbox.add(session, ApplicationCancelled(**_news(app), was_accepted=was_accepted))
    return app


async def confirm(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                  clock: Clock, pricing: Pricing) -> SimpleNamespace:
    """The family takes the seat offered from the waitlist, while the offer lasts."""
    app = await _to_act_on(session, application_id, principal, "confirm")
    if app.offered_until is None or app.offered_until < clock.now():
        raise _illegal(app)
    await _set(session, app, status=_next(app, "confirm"), offered_until=None)
    await _announce_accepted(session, outbox, app, clock.today(), pricing)
    return app


async def funds_reserved(session: AsyncSession, application_id: uuid.UUID) -> None:
    await _move_by_event(session, application_id, "reserve_funds")


async def funds_refused(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, reason: str, clock: Clock,
                        offer_hours: int) -> None:
    """Compensation: the seat passes on and the family sees why."""
    await _end_by_event(session, outbox, application_id, "refuse_funds", clock, offer_hours, reason)


async def contract_signed(session: AsyncSession, application_id: uuid.UUID, at: datetime) -> None:
    await _move_by_event(session, application_id, "sign", enrolled_at=at)


async def contract_terminated(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, clock: Clock,
                              offer_hours: int) -> None:
    await _end_by_event(session, outbox, application_id, "terminate", clock, offer_hours, "Договор расторгнут")


async def expire_overdue_offers(session: AsyncSession, outbox: Outbox, clock: Clock, offer_hours: int) -> int:
    """Offers not confirmed in time pass on to the next family (500 a round); each family is told."""
    overdue = (await session.execute(
        select(A.id, A.status, A.holds_seat, A.group_id, A.certificate_id, A.owner, A.provider_id,
               programs.c.title.label("program_title"))
        .select_from(applications).join(programs, programs.c.id == A.program_id)
        .where(A.status == OFFERED, A.offered_until < clock.now())
        .order_by(A.offered_until).limit(500).with_for_update(of=applications, skip_locked=True)
    )).all()
    for row in overdue:
        app = SimpleNamespace(**row._mapping)
        await _end(session, outbox, app, "expire_offer", clock, offer_hours,
                   "Предложенное место не подтверждено вовремя")
        await outbox.add(session, ApplicationExpired(**_news(app), reason="offer_not_confirmed"))
    return len(overdue)


async def expire_undecided(session: AsyncSession, outbox: Outbox, today: date) -> int:
    """Applications the provider did not decide by their deadline expire; each family is told."""
    move = APPLICATION_MOVES["expire_undecided"]
    expired = (await session.execute(
        update(applications).where(A.status.in_(move.sources), A.decide_by < today, programs.c.id == A.program_id)
        .values(status=move.target, reason="Поставщик не рассмотрел заявку в срок")
        .returning(A.id, A.certificate_id, A.owner, A.provider_id, programs.c.title.label("program_title")))).all()
    for row in expired:
        await outbox.add(session, ApplicationExpired(**_news(row), reason="not_decided"))
    return len(expired)


# How each reason the payment check blocks on is refused: the status and the field at fault.
_REFUSALS = {
    "provider_inactive": (409, "group_id"),
    "enrollment_closed": (409, "group_id"),
    "age_out_of_range": (422, "group_id"),
    "certificate_inactive": (409, "certificate_id"),
    "certificate_exhausted": (409, "certificate_id"),
    "free_limit_reached": (409, "certificate_id"),
    "no_agreement": (409, "group_id"),
    "agreement_limit_reached": (409, "group_id"),
}


def _impossible(found: Check) -> ProblemError:
    """One problem naming every blocking reason in `errors`, in the Russian the cost answer uses;
    its type, status, title and field are the first reason's."""
    reasons = found.verdict.blocking
    first = reasons[0]
    status, field = _REFUSALS[first]
    f = found.facts
    detail = (f"Программа для детей {f.min_age}–{f.max_age} лет, ребёнку {f.child_age}"
              if "age_out_of_range" in reasons else None)
    return ProblemError(status, first.replace("_", "-"), REASONS_RU[first], detail, field,
                        [{"field": _REFUSALS[r][1], "message": REASONS_RU[r]} for r in reasons])


def _next(app: SimpleNamespace, action: str) -> str:
    return APPLICATION_MOVES.next(app.status, action)


def _illegal(app: SimpleNamespace) -> ProblemError:
    return conflict("illegal-transition", "Действие недоступно для заявки в этом состоянии", field="status",
                    detail=f"application is {app.status}")


async def _to_act_on(session: AsyncSession, application_id: uuid.UUID, principal: Principal, action: str,
                     lock_program: bool = False) -> SimpleNamespace:
    """Lock the application and check who acts and from which status. `lock_program`: its program's
    row too, so that seats taken under the program's enrollment limit are counted one taker at a time."""
    row = await (_LOCKING_PROGRAM if lock_program else _LOCKING).first(session, application_id=application_id)
    if row is None or not access.sees_application(principal, row):
        raise not_found(NOT_FOUND)
    if not access.may_act(principal, action):
        raise forbidden()
    if not APPLICATION_MOVES.can(row.status, action):
        raise _illegal(row)
    return SimpleNamespace(**row._asdict())


_INSERT = Precompiled(insert(applications).values(bound(applications, (
    "id", "status", "owner", "child_id", "certificate_id", "group_id", "program_id", "provider_id", "municipality",
    "payer", "holds_seat", "decide_by"))).returning(A.created_at, A.updated_at))


def _locking(*locked) -> Precompiled:
    return Precompiled(shown_from(select(*_ACTING)).where(A.id == bindparam("application_id", type_=A.id.type))
                       .with_for_update(of=locked, key_share=True))


# Compiled once: every action on an application starts with one of these (~0.1 ms to build each time).
_LOCKING, _LOCKING_PROGRAM = _locking(applications), _locking(applications, programs)


async def _set(session: AsyncSession, app: SimpleNamespace, **values) -> None:
    """Write these columns of the application, and keep its record in step."""
    await _setting(*values).run(session, application_id=app.id, **named(values, "new_"))
    vars(app).update(values)


@functools.cache
def _setting(*columns: str) -> Precompiled:
    """The UPDATE of these columns of one application (bound as `new_<column>`): compiled once per shape."""
    return Precompiled(update(applications).where(A.id == bindparam("application_id", type_=A.id.type))
                       .values(bound(applications, columns, prefix="new_")))


def _news(app) -> dict:
    """What a notice about the application needs: whose it is, whose group, which program."""
    return dict(application_id=app.id, certificate_id=app.certificate_id, owner=app.owner,
                provider_id=app.provider_id, program_title=app.program_title)


async def _move_by_event(session: AsyncSession, application_id: uuid.UUID, action: str, **values) -> None:
    """A saga's answer moves the application if it is still where the move starts (else: nothing)."""
    await _moving(action, *values).run(session, application_id=application_id,
                                       **named(values, "new_"))


@functools.cache
def _moving(action: str, *columns: str) -> Precompiled:
    """The move's conditional UPDATE, setting these columns too (bound as `new_<column>`): compiled once per shape."""
    move = APPLICATION_MOVES[action]
    return Precompiled(update(applications).where(A.id == bindparam("application_id", type_=A.id.type),
                                                  A.status.in_(move.sources))
                       .values(status=move.target, **bound(applications, columns, prefix="new_")))


async def _end_by_event(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, action: str, clock: Clock,
                        offer_hours: int, reason: str) -> None:
    """End the application if it is still where the move starts; every status these moves start from
    holds a seat (domain/statuses HOLDING_SEAT), which passes on."""
    move = APPLICATION_MOVES[action]
    ended = (await session.execute(
        update(applications).where(A.id == application_id, A.status.in_(move.sources))
        .values(status=move.target, holds_seat=False, reason=reason, offered_until=None)
        .returning(A.group_id))).first()
    if ended is not None:
        await _pass_seat(session, outbox, ended.group_id, clock, offer_hours)


async def _announce_accepted(session: AsyncSession, outbox: Outbox, app: SimpleNamespace, today: date,
                             pricing: Pricing) -> None:
    """The application holds its seat: tell certificates and billing what the contract will be.
    `app` carries the program's, module's and group's columns the pricing reads (_ACTING)."""
    register = register_for(app.registers, app.certified_until, today)
    year, starts_on, plan = contract_plan(today, app.starts_on, app.ends_on,
                                          [lesson["weekday"] for lesson in app.schedule],
                                          pricing.shares(app, app, app, register))
    in_period = [MonthlyShare(month=m, certificate_kop=c, copay_kop=p, planned_lessons=n) for m, c, p, n in plan]
    await outbox.add(session, ApplicationAccepted(
        application_id=app.id, child_id=app.child_id, certificate_id=app.certificate_id, owner=app.owner,
        municipality=app.municipality, provider_id=app.provider_id, provider_name=app.provider_name,
        program_id=app.program_id, program_title=app.program_title, group_id=app.group_id, program_register=register,
        period_year=year, starts_on=starts_on, ends_on=app.ends_on, months=in_period,
        weekly_schedule=[Lesson(**lesson) for lesson in app.schedule], payer=app.payer,
        group_name=group_name(app.module_title, app.teacher), venue=app.venue,
    ))


async def _end(session: AsyncSession, outbox: Outbox, app: SimpleNamespace, action: str, clock: Clock,
               offer_hours: int, reason: str | None = None) -> None:
    """End an application. A seat it held passes straight to the first family on the group's
    waitlist, held for them for `offer_hours` (and they are told); with nobody waiting it is free again."""
    had_seat = app.holds_seat
    await _set(session, app, status=_next(app, action), holds_seat=False, reason=reason, offered_until=None)
    if had_seat:
        await _pass_seat(session, outbox, app.group_id, clock, offer_hours)


async def _pass_seat(session: AsyncSession, outbox: Outbox, group_id: uuid.UUID, clock: Clock,
                     offer_hours: int) -> None:
    """Offer a freed seat to the first family waiting for the group (one a concurrent pass has not
    taken), or free it."""
    move = APPLICATION_MOVES["offer"]
    first = (select(A.id).where(A.group_id == group_id, A.status.in_(move.sources))
             .order_by(A.created_at, A.id).limit(1).with_for_update(skip_locked=True).scalar_subquery())
    until = clock.now() + timedelta(hours=offer_hours)
    offered = (await session.execute(
        update(applications).where(A.id == first, programs.c.id == A.program_id)
        .values(status=move.target, holds_seat=True, offered_until=until)
        .returning(A.id, A.certificate_id, A.owner, A.provider_id, programs.c.title.label("program_title")))).first()
    if offered is None:
        await free_seat(session, group_id, clock.today())
        return
    await outbox.add(session, SeatOffered(**_news(offered), offered_until=until))
