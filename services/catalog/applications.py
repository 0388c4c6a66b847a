"""The application's life on the catalog side: seats, statuses, and the events it sends."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.catalog import ApplicationAccepted, ApplicationCancelled, Lesson, MonthlyShare
from pfdo_kit.outbox import Outbox
from services.catalog.domain.payment_plan import certificate_shares, months_between, planned_lessons
from services.catalog.models import Application, Group, Module, Program, Provider
from services.catalog.seats import free_seat, take_seat

def register_for(program: Program, today: date) -> str:
    if "certified" in program.registers and program.certified_until and program.certified_until >= today:
        return "certified"
    free = [r for r in ("significant", "preprofessional", "other") if r in program.registers]
    return free[0] if free else "family"


async def _within_program_limit(session: AsyncSession, program_id) -> bool:
    """A program's enrollment limit counts every seat held across its groups (program row locked)."""
    program = await session.get(Program, program_id, with_for_update=True)
    if program.enrollment_limit is None:
        return True
    held = await session.scalar(select(func.count()).select_from(Application).where(
        Application.program_id == program_id, Application.holds_seat.is_(True)))
    return held < program.enrollment_limit


@dataclass(frozen=True)
class Pricing:
    """The district's normative cost: kopecks per person-hour by direction, coefficient in thousandths."""

    kop_per_hour: dict[str, int]
    coefficient_permille: int

    def shares(self, program: Program, module: Module, group: Group, register: str) -> list[tuple[str, int, int]]:
        return certificate_shares(module.price_kop, module.hours, months_between(group.starts_on, group.ends_on),
                                  register == "certified", self.kop_per_hour.get(program.direction, 0),
                                  self.coefficient_permille)


async def accept(session: AsyncSession, outbox: Outbox, app: Application, today: date,
                 pricing: Pricing) -> Application:
    """Hold a seat and announce the acceptance with everything certificates and billing need;
    a full group puts the application on the waitlist instead."""
    if not await _within_program_limit(session, app.program_id) or not await take_seat(session, app.group_id):
        app.status = "waitlisted"
        return app
    app.holds_seat = True
    return await announce_acceptance(session, outbox, app, today, pricing)


async def announce_acceptance(session: AsyncSession, outbox: Outbox, app: Application, today: date,
                              pricing: Pricing) -> Application:
    """The application holds its seat: tell certificates and billing what the contract will be."""
    app.status, app.offered_until = "accepted", None
    group = await session.get(Group, app.group_id)
    program = await session.get(Program, app.program_id)
    module = await session.get(Module, group.module_id)
    provider = await session.get(Provider, app.provider_id)
    register = register_for(program, today)
    year = max(today, group.starts_on).year
    start, end = max(group.starts_on, date(year, 1, 1), today.replace(day=1)), min(group.ends_on, date(year, 12, 31))
    months = months_between(start, end)
    shares = pricing.shares(program, module, group, register)
    lesson_days = [lesson["weekday"] for lesson in group.schedule]
    in_period = [MonthlyShare(month=m, certificate_kop=c, copay_kop=p,
                              planned_lessons=planned_lessons(m, group.starts_on, group.ends_on, lesson_days))
                 for m, c, p in shares if m in months]
    await outbox.add(session, ApplicationAccepted(
        application_id=app.id, child_id=app.child_id, certificate_id=app.certificate_id, owner=app.owner,
        municipality=app.municipality, provider_id=app.provider_id, provider_name=provider.short_name,
        program_id=app.program_id, program_title=program.title, group_id=app.group_id, program_register=register, period_year=year,
        starts_on=group.starts_on, ends_on=group.ends_on, months=in_period,
        weekly_schedule=[Lesson(**lesson) for lesson in group.schedule],
    ))
    return app


async def let_go(session: AsyncSession, app: Application, status: str, offer_hours: int,
                 reason: str | None = None) -> None:
    """End an application. A seat it held passes straight to the first family on the
    group's waitlist, held for them for `offer_hours`; with nobody waiting it is free again."""
    had_seat = app.holds_seat
    app.status, app.holds_seat, app.reason, app.offered_until = status, False, reason, None
    if not had_seat:
        return
    await session.flush()
    waiting = (await session.execute(
        select(Application).where(Application.group_id == app.group_id, Application.status == "waitlisted")
        .order_by(Application.created_at, Application.id).limit(1).with_for_update(skip_locked=True)
    )).scalar_one_or_none()
    if waiting is None:
        await free_seat(session, app.group_id)
        return
    waiting.status, waiting.holds_seat = "offered", True
    waiting.offered_until = datetime.now(UTC) + timedelta(hours=offer_hours)


async def cancel(session: AsyncSession, outbox: Outbox, app: Application, offer_hours: int) -> None:
    was_accepted = app.holds_seat and app.status != "offered"
    await let_go(session, app, "cancelled", offer_hours)
    await outbox.add(session, ApplicationCancelled(application_id=app.id, certificate_id=app.certificate_id,
                                                   was_accepted=was_accepted))

