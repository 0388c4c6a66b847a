"""Notices of a dispute of a debit: the provider hears of a new one (it must answer by a day), the
family of every answer and decision, the payer's operators of what the provider did not give back."""
from __future__ import annotations

from pfdo_events.billing import DisputeAnswered, DisputeDecided, DisputeOpened
from services.notifications.domain import templates
from services.notifications.flows import contacts
from services.notifications.flows.notices import Cause, Notice, record


async def opened(cause: Cause, e: DisputeOpened) -> None:
    message = templates.dispute_opened(e.dispute_id, e.month, e.program_title, e.debited_kop, e.comment, e.answer_due)
    staff = await contacts.provider_staff(cause.session, e.provider_id)
    await record(cause, [Notice(s, "dispute_opened", e.dispute_id, message) for s in staff])


async def answered(cause: Cause, e: DisputeAnswered) -> None:
    message = templates.dispute_answered(e.dispute_id, e.month, e.program_title, e.answer, e.reversal_kop, e.comment)
    notices = [Notice(e.owner, "dispute_answered", e.dispute_id, message)]
    if e.status == "awaiting_operator":
        escalated = templates.dispute_escalated(e.dispute_id, e.month, e.program_title,
                                                e.debited_kop - e.reversed_kop)
        notices += [Notice(o, "dispute_escalated", e.dispute_id, escalated)
                    for o in await contacts.district_operators(cause.session, e.payer)]
    await record(cause, notices)


async def decided(cause: Cause, e: DisputeDecided) -> None:
    message = templates.dispute_decided(e.dispute_id, e.month, e.program_title, e.reversal_kop, e.reversed_kop,
                                        e.comment)
    await record(cause, [Notice(e.owner, "dispute_decided", e.dispute_id, message)])
