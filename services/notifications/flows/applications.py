"""Notices of an application's life: to the provider when it comes or goes, to the family at
every answer (accepted, rejected, waitlisted, a seat offered, expired, the money reserved or refused)."""
from __future__ import annotations

from pfdo_events.catalog import (
    ApplicationAccepted,
    ApplicationCancelled,
    ApplicationExpired,
    ApplicationRejected,
    ApplicationSubmitted,
    ApplicationWaitlisted,
    SeatOffered,
)
from pfdo_events.certificates import FundsReservationFailed, FundsReserved
from services.notifications.domain import templates
from services.notifications.flows import contacts
from services.notifications.flows.enrollments import keep
from services.notifications.flows.notices import Cause, Notice, record


def _facts(e) -> dict:
    return dict(owner=e.owner, provider_id=e.provider_id, program_title=e.program_title)


async def submitted(cause: Cause, e: ApplicationSubmitted) -> None:
    en = await keep(cause.session, e.application_id, dict(_facts(e), decide_by=e.decide_by))
    message = templates.application_submitted(e.application_id, en.program_title, en.decide_by)
    staff = await contacts.provider_staff(cause.session, e.provider_id)
    await record(cause, [Notice(s, "application_submitted", e.application_id, message) for s in staff])


async def accepted(cause: Cause, e: ApplicationAccepted) -> None:
    """Also the answer to a confirmed seat offer: either way the application holds its seat now."""
    await keep(cause.session, e.application_id, dict(_facts(e), provider_name=e.provider_name),
               dict(decided_at=cause.at, offer_closed_at=cause.at))
    message = templates.application_accepted(e.application_id, e.program_title, e.provider_name, e.starts_on,
                                             len(e.weekly_schedule))
    await record(cause, [Notice(e.owner, "application_accepted", e.application_id, message)])


async def rejected(cause: Cause, e: ApplicationRejected) -> None:
    await keep(cause.session, e.application_id, _facts(e), dict(decided_at=cause.at, offer_closed_at=cause.at))
    message = templates.application_rejected(e.application_id, e.program_title, e.reason)
    await record(cause, [Notice(e.owner, "application_rejected", e.application_id, message)])


async def waitlisted(cause: Cause, e: ApplicationWaitlisted) -> None:
    await keep(cause.session, e.application_id, _facts(e), dict(decided_at=cause.at))
    message = templates.application_waitlisted(e.application_id, e.program_title)
    await record(cause, [Notice(e.owner, "application_waitlisted", e.application_id, message)])


async def seat_offered(cause: Cause, e: SeatOffered) -> None:
    await keep(cause.session, e.application_id, dict(_facts(e), offered_until=e.offered_until))
    message = templates.seat_offered(e.application_id, e.program_title, cause.clock.local(e.offered_until))
    await record(cause, [Notice(e.owner, "seat_offered", e.application_id, message)])


async def expired(cause: Cause, e: ApplicationExpired) -> None:
    await keep(cause.session, e.application_id, _facts(e), dict(decided_at=cause.at, offer_closed_at=cause.at))
    message = templates.application_expired(e.application_id, e.program_title, e.reason)
    await record(cause, [Notice(e.owner, "application_expired", e.application_id, message)])


async def cancelled(cause: Cause, e: ApplicationCancelled) -> None:
    """The family withdrew: nothing is left to decide, confirm or sign; the provider is told."""
    en = await keep(cause.session, e.application_id, _facts(e),
                    dict(decided_at=cause.at, offer_closed_at=cause.at, contract_closed_at=cause.at))
    message = templates.application_cancelled(e.application_id, en.program_title)
    staff = await contacts.provider_staff(cause.session, en.provider_id)
    await record(cause, [Notice(s, "application_cancelled", e.application_id, message) for s in staff])


async def funds_reserved(cause: Cause, e: FundsReserved) -> None:
    """Nothing to say when nothing was reserved (a free program, an accounting certificate)."""
    en = await keep(cause.session, e.application_id, dict(owner=e.owner))
    if e.amount_kop == 0 or en.owner is None:
        return
    message = templates.funds_reserved(e.application_id, en.program_title, e.amount_kop)
    await record(cause, [Notice(en.owner, "funds_reserved", e.application_id, message)])


async def funds_refused(cause: Cause, e: FundsReservationFailed) -> None:
    en = await keep(cause.session, e.application_id, dict(owner=e.owner))
    if en.owner is None:
        return
    message = templates.funds_refused(e.application_id, en.program_title, e.reason_ru)
    await record(cause, [Notice(en.owner, "funds_refused", e.application_id, message)])
