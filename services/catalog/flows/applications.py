"""The application's writes. The family applies, cancels, confirms a seat offered from the
waitlist; the provider accepts or rejects; the enrollment saga's answers (funds reserved or
refused, contract signed or terminated) and the deadlines move it on. A seat an application
gives up passes straight to the first family on the group's waitlist. Every move goes through
domain/statuses; events are staged in the caller's transaction, and each move the family or
the provider should hear of (submitted, rejected, waitlisted, a seat offered, expired,
cancelled) names whose application it is and which program."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
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
from services.catalog.domain import access
from services.catalog.domain.deadlines import decide_by
from services.catalog.domain.groups import group_name
from services.catalog.domain.payment_check import REASONS_RU, Check, check, money_year
from services.catalog.domain.payment_plan import Pricing, contract_plan
from services.catalog.domain.registers import register_for
from services.catalog.domain.statuses import (
    APPLICATION_MOVES,
    DRAFT,
    OFFERED,
    PUBLISHED,
    SUBMITTED,
    WAITLISTED,
)
from services.catalog.flows.seats import free_seat, take_seat, within_program_limit
from services.catalog.models import (
    Application,
    CertificateCopy,
    Group,
    Module,
    Program,
    Provider,
)
from services.catalog.queries.agreements import agreement_facts

NOT_FOUND = "Заявка не найдена"


async def apply(session: AsyncSession, outbox: Outbox, principal: Principal, group_id: uuid.UUID,
                certificate_id: uuid.UUID, today: date, calendar: WorkingCalendar, pricing: Pricing) -> Application:
    """Take the family's application, unless the payment check (the one `GET /groups/{id}/cost`
    answers with) calls it impossible: then it is refused at once with every reason. A full group
    still takes it; the provider's acceptance puts it on the waitlist."""
    if not access.may_act(principal, "apply"):
        raise forbidden()
    cert = await session.get(CertificateCopy, certificate_id)
    if cert is None or cert.owner != principal.subject:
        raise invalid("certificate_id", "Сертификат не найден среди сертификатов ваших детей")
    group = await session.get(Group, group_id)
    program = await session.get(Program, group.program_id) if group else None
    if group is None or program.status == DRAFT:
        raise invalid("group_id", "Группа не найдена или программа не опубликована")
    if program.status != PUBLISHED:
        raise conflict("program-unpublished", "Поставщик снял программу с публикации: набор закрыт",
                       field="group_id")
    provider = await session.get(Provider, program.provider_id)
    module = await session.get(Module, group.module_id)
    agreement = await agreement_facts(session, provider.id, cert.municipality, money_year(today, group))
    found = check(cert, program, provider, module, group, today, pricing, agreement)
    if found.verdict.payment == "impossible":
        raise _impossible(found)
    app = Application(id=uuid.uuid4(), status=SUBMITTED, owner=principal.subject, child_id=cert.child_id,
                      certificate_id=cert.id, group_id=group.id, program_id=program.id, provider_id=provider.id,
                      municipality=program.municipality, payer=cert.municipality, holds_seat=False,
                      decide_by=decide_by(today, calendar))
    session.add(app)
    try:
        await session.flush()
    except IntegrityError:
        raise conflict("application-exists", "Заявка этого ребёнка в эту группу уже подана", field="group_id") from None
    await outbox.add(session, ApplicationSubmitted(application_id=app.id, child_id=app.child_id,
                                                   certificate_id=app.certificate_id, provider_id=app.provider_id,
                                                   group_id=app.group_id, owner=app.owner,
                                                   program_title=program.title, decide_by=app.decide_by))
    await session.refresh(app)
    return app


async def accept(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                 today: date, pricing: Pricing) -> Application:
    """Hold a seat and announce the acceptance; a full group (or program) puts the application
    on the waitlist instead."""
    app = await _to_act_on(session, application_id, principal, "accept")
    if await within_program_limit(session, app.program_id) and await take_seat(session, app.group_id, today):
        app.holds_seat = True
        await _accepted(session, outbox, app, "accept", today, pricing)
    else:
        _move(app, "waitlist")
        await outbox.add(session, ApplicationWaitlisted(**await _news(session, app)))
    return await _settled(session, app)


async def reject(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                 reason: str, clock: Clock, offer_hours: int) -> Application:
    app = await _to_act_on(session, application_id, principal, "reject")
    await _end(session, outbox, app, "reject", clock, offer_hours, reason)
    await outbox.add(session, ApplicationRejected(**await _news(session, app), reason=reason))
    return await _settled(session, app)


async def cancel(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                 clock: Clock, offer_hours: int) -> Application:
    """The family withdraws; billing learns whether a contract was on its way."""
    app = await _to_act_on(session, application_id, principal, "cancel")
    was_accepted = app.holds_seat and app.status != OFFERED
    await _end(session, outbox, app, "cancel", clock, offer_hours)
    await outbox.add(session, ApplicationCancelled(**await _news(session, app), was_accepted=was_accepted))
    return await _settled(session, app)


async def confirm(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, principal: Principal,
                  clock: Clock, pricing: Pricing) -> Application:
    """The family takes the seat offered from the waitlist, while the offer lasts."""
    app = await _to_act_on(session, application_id, principal, "confirm")
    if app.offered_until is None or app.offered_until < clock.now():
        raise _illegal(app)
    await _accepted(session, outbox, app, "confirm", clock.today(), pricing)
    return await _settled(session, app)


async def funds_reserved(session: AsyncSession, application_id: uuid.UUID) -> None:
    app = await session.get(Application, application_id, with_for_update=True)
    if app is not None and APPLICATION_MOVES.can(app.status, "reserve_funds"):
        _move(app, "reserve_funds")


async def funds_refused(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, reason: str, clock: Clock,
                        offer_hours: int) -> None:
    """Compensation: the seat passes on and the family sees why."""
    app = await session.get(Application, application_id, with_for_update=True)
    if app is not None and APPLICATION_MOVES.can(app.status, "refuse_funds"):
        await _end(session, outbox, app, "refuse_funds", clock, offer_hours, reason)


async def contract_signed(session: AsyncSession, application_id: uuid.UUID, at: datetime) -> None:
    app = await session.get(Application, application_id, with_for_update=True)
    if app is not None and APPLICATION_MOVES.can(app.status, "sign"):
        _move(app, "sign")
        app.enrolled_at = at


async def contract_terminated(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, clock: Clock,
                              offer_hours: int) -> None:
    app = await session.get(Application, application_id, with_for_update=True)
    if app is not None and APPLICATION_MOVES.can(app.status, "terminate"):
        await _end(session, outbox, app, "terminate", clock, offer_hours, "Договор расторгнут")


async def expire_overdue_offers(session: AsyncSession, outbox: Outbox, clock: Clock, offer_hours: int) -> int:
    """Offers not confirmed in time pass on to the next family (500 a round); each family is told."""
    overdue = (await session.execute(
        select(Application).where(Application.status == OFFERED, Application.offered_until < clock.now())
        .order_by(Application.offered_until).limit(500).with_for_update(skip_locked=True)
    )).scalars().all()
    for app in overdue:
        await _end(session, outbox, app, "expire_offer", clock, offer_hours,
                   "Предложенное место не подтверждено вовремя")
        await outbox.add(session, ApplicationExpired(**await _news(session, app), reason="offer_not_confirmed"))
    return len(overdue)


async def expire_undecided(session: AsyncSession, outbox: Outbox, today: date) -> int:
    """Applications the provider did not decide by their deadline expire; each family is told."""
    move = APPLICATION_MOVES["expire_undecided"]
    expired = (await session.execute(
        update(Application).where(Application.status.in_(move.sources), Application.decide_by < today)
        .values(status=move.target, reason="Поставщик не рассмотрел заявку в срок")
        .returning(Application.id, Application.certificate_id, Application.owner, Application.provider_id,
                   Application.program_id))).all()
    titles = await _titles(session, {row.program_id for row in expired})
    for row in expired:
        await outbox.add(session, ApplicationExpired(
            application_id=row.id, certificate_id=row.certificate_id, owner=row.owner, provider_id=row.provider_id,
            program_title=titles[row.program_id], reason="not_decided"))
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


def _move(app: Application, action: str) -> None:
    app.status = APPLICATION_MOVES.next(app.status, action)


def _illegal(app: Application) -> ProblemError:
    return conflict("illegal-transition", "Действие недоступно для заявки в этом состоянии", field="status",
                    detail=f"application is {app.status}")


async def _to_act_on(session: AsyncSession, application_id: uuid.UUID, principal: Principal,
                     action: str) -> Application:
    """Lock the application and check who acts and from which status."""
    app = await session.get(Application, application_id, with_for_update=True)
    if app is None or not access.sees_application(principal, app):
        raise not_found(NOT_FOUND)
    if not access.may_act(principal, action):
        raise forbidden()
    if not APPLICATION_MOVES.can(app.status, action):
        raise _illegal(app)
    return app


async def _titles(session: AsyncSession, program_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not program_ids:
        return {}
    return dict((await session.execute(select(Program.id, Program.title).where(Program.id.in_(program_ids)))).all())


async def _news(session: AsyncSession, app: Application) -> dict:
    """What a notice about the application needs: whose it is, whose group, which program."""
    program = await session.get(Program, app.program_id)
    return dict(application_id=app.id, certificate_id=app.certificate_id, owner=app.owner,
                provider_id=app.provider_id, program_title=program.title)


async def _settled(session: AsyncSession, app: Application) -> Application:
    await session.flush()
    await session.refresh(app)
    return app


async def _accepted(session: AsyncSession, outbox: Outbox, app: Application, action: str, today: date,
                    pricing: Pricing) -> None:
    """The application holds its seat: tell certificates and billing what the contract will be."""
    _move(app, action)
    app.offered_until = None
    group = await session.get(Group, app.group_id)
    program = await session.get(Program, app.program_id)
    module = await session.get(Module, group.module_id)
    provider = await session.get(Provider, app.provider_id)
    register = register_for(program.registers, program.certified_until, today)
    year, starts_on, plan = contract_plan(today, group.starts_on, group.ends_on,
                                          [lesson["weekday"] for lesson in group.schedule],
                                          pricing.shares(program, module, group, register))
    in_period = [MonthlyShare(month=m, certificate_kop=c, copay_kop=p, planned_lessons=n) for m, c, p, n in plan]
    await outbox.add(session, ApplicationAccepted(
        application_id=app.id, child_id=app.child_id, certificate_id=app.certificate_id, owner=app.owner,
        municipality=app.municipality, provider_id=app.provider_id, provider_name=provider.short_name,
        program_id=app.program_id, program_title=program.title, group_id=app.group_id, program_register=register,
        period_year=year, starts_on=starts_on, ends_on=group.ends_on, months=in_period,
        weekly_schedule=[Lesson(**lesson) for lesson in group.schedule], payer=app.payer,
        group_name=group_name(module.title, group.teacher), venue=group.venue,
    ))


async def _end(session: AsyncSession, outbox: Outbox, app: Application, action: str, clock: Clock, offer_hours: int,
               reason: str | None = None) -> None:
    """End an application. A seat it held passes straight to the first family on the group's
    waitlist, held for them for `offer_hours` (and they are told); with nobody waiting it is free again."""
    had_seat = app.holds_seat
    _move(app, action)
    app.holds_seat, app.reason, app.offered_until = False, reason, None
    if not had_seat:
        return
    await session.flush()
    waiting = (await session.execute(
        select(Application).where(Application.group_id == app.group_id, Application.status == WAITLISTED)
        .order_by(Application.created_at, Application.id).limit(1).with_for_update(skip_locked=True)
    )).scalar_one_or_none()
    if waiting is None:
        await free_seat(session, app.group_id, clock.today())
        return
    _move(waiting, "offer")
    waiting.holds_seat, waiting.offered_until = True, clock.now() + timedelta(hours=offer_hours)
    await outbox.add(session, SeatOffered(**await _news(session, waiting), offered_until=waiting.offered_until))
