"""Providers: one awaiting approval is on the operators' list until approved or rejected; its
staff are told of each invoice and advance."""
from __future__ import annotations

from pfdo_events.billing import AdvanceGranted, InvoiceIssued
from pfdo_events.registry import ProviderApproved, ProviderRejected, ProviderSubmitted
from services.notifications.domain import templates
from services.notifications.flows import checks, contacts
from services.notifications.flows.notices import Cause, Notice, record


async def submitted(cause: Cause, e: ProviderSubmitted) -> None:
    p = e.provider
    await checks.open_check(cause.session, checks.PROVIDER, p.provider_id, p.municipality, p.short_name, cause.at)


async def decided(cause: Cause, e: ProviderApproved | ProviderRejected) -> None:
    p = e.provider
    await checks.settle(cause.session, checks.PROVIDER, p.provider_id, cause.at, p.municipality, p.short_name)


async def invoice_issued(cause: Cause, e: InvoiceIssued) -> None:
    message = templates.invoice_issued(e.invoice_id, e.number, e.month, e.charges_kop, e.advance_kop,
                                       e.carried_in_kop, e.settlement_kop)
    staff = await contacts.provider_staff(cause.session, e.provider_id)
    await record(cause, [Notice(s, "invoice_issued", e.invoice_id, message) for s in staff])


async def advance_granted(cause: Cause, e: AdvanceGranted) -> None:
    message = templates.advance_granted(e.month, e.amount_kop, e.limit_kop)
    staff = await contacts.provider_staff(cause.session, e.provider_id)
    await record(cause, [Notice(s, "advance_granted", e.advance_id, message) for s in staff])
