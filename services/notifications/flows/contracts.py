"""Notices of a contract's life to the family: ready to sign, signed, ended, and each month's debit."""
from __future__ import annotations

from pfdo_events.billing import ContractOffered, ContractSigned, ContractTerminated
from pfdo_events.certificates import FundsDebited
from services.notifications.domain import templates
from services.notifications.flows.enrollments import keep, known
from services.notifications.flows.notices import Cause, Notice, record


async def offered(cause: Cause, e: ContractOffered) -> None:
    en = await keep(cause.session, e.contract_id,
                    dict(owner=e.owner, contract_number=e.number, program_title=e.program_title,
                         provider_name=e.provider_name),
                    dict(contract_offered_at=cause.at))
    message = templates.contract_offered(e.contract_id, e.number, en.program_title, en.provider_name, e.reserved_kop)
    await record(cause, [Notice(e.owner, "contract_offered", e.contract_id, message)])


async def signed(cause: Cause, e: ContractSigned) -> None:
    en = await keep(cause.session, e.contract_id,
                    dict(owner=e.owner, contract_number=e.number, program_title=e.program_title,
                         signed_on=e.signed_on),
                    dict(contract_closed_at=cause.at))
    if en.owner is None:
        return
    message = templates.contract_signed(e.contract_id, en.contract_number, en.program_title, e.signed_on)
    await record(cause, [Notice(en.owner, "contract_signed", e.contract_id, message)])


async def terminated(cause: Cause, e: ContractTerminated) -> None:
    """Told only of a contract that was signed: an offer withdrawn before signing follows a
    cancellation or a refusal the family already knows of."""
    en = await keep(cause.session, e.contract_id,
                    dict(owner=e.owner, contract_number=e.number, program_title=e.program_title),
                    dict(contract_closed_at=cause.at))
    was_signed = e.was_signed if e.was_signed is not None else en.signed_on is not None
    if not was_signed or en.owner is None:
        return
    message = templates.contract_terminated(e.contract_id, en.contract_number, en.program_title, e.terminated_on,
                                            e.reason)
    await record(cause, [Notice(en.owner, "contract_terminated", e.contract_id, message)])


async def debited(cause: Cause, e: FundsDebited) -> None:
    """One notice per contract debited in the batch (a release alone moves no family's money)."""
    moved = [r for r in e.results if r.debited_kop > 0]
    kept = await known(cause.session, sorted({r.contract_id for r in moved}))
    notices = []
    for r in moved:
        en = kept.get(r.contract_id)
        owner = r.owner or (en.owner if en else None)
        if owner is None:
            continue
        message = templates.funds_debited(r.contract_id, en.contract_number if en else None,
                                          en.program_title if en else None, e.month, r.debited_kop)
        notices.append(Notice(owner, "funds_debited", r.contract_id, message))
    await record(cause, notices)
