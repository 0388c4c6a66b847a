"""What notifications does with other services' events: each handler hands the event to a flow,
in the consumer's transaction with the inbox row, so a notice and its mail are made exactly
once per event or not at all. Every notice-making flow takes the same `Cause` (the transaction,
clock, settings, and the event's id and moment), so one adapter (`_flow`) makes those handlers."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pfdo_events.billing import (
    AdvanceGranted,
    ContractOffered,
    ContractSigned,
    ContractTerminated,
    DisputeAnswered,
    DisputeDecided,
    DisputeOpened,
    InvoiceIssued,
)
from pfdo_events.catalog import (
    ApplicationAccepted,
    ApplicationCancelled,
    ApplicationExpired,
    ApplicationRejected,
    ApplicationSubmitted,
    ApplicationWaitlisted,
    SeatOffered,
)
from pfdo_events.certificates import (
    CertificateActivated,
    CertificateClosed,
    CertificateIssued,
    CertificateReinstated,
    CertificateSuspended,
    FundsDebited,
    FundsReservationFailed,
    FundsReserved,
)
from pfdo_events.gateway import ACCOUNT_EVENTS, PasswordResetRequested
from pfdo_events.registry import ProviderApproved, ProviderRejected, ProviderSubmitted
from pfdo_kit.bus.consumer import ConsumerSpec, Handler, HandlerContext
from services.notifications.flows import (
    applications,
    certificates,
    contacts,
    contracts,
    disputes,
    passwords,
    providers,
)
from services.notifications.flows.notices import Cause


def _cause(ctx: HandlerContext) -> Cause:
    return Cause(ctx.session, ctx.clock, ctx.settings, str(ctx.envelope.id), ctx.envelope.occurred_at)


def _flow(step: Callable[[Cause, Any], Awaitable[None]]) -> Handler:
    async def handle(ctx: HandlerContext, event: Any) -> None:
        await step(_cause(ctx), event)
    return handle


async def on_account(ctx: HandlerContext, e) -> None:
    await contacts.remember(ctx.session, e, ctx.envelope.occurred_at, ctx.clock.now())


CONSUMERS = [
    ConsumerSpec("notifications", "accounts", {
        **{event: on_account for event in ACCOUNT_EVENTS},
        PasswordResetRequested: _flow(passwords.reset_requested),
    }),
    ConsumerSpec("notifications", "applications", {
        ApplicationSubmitted: _flow(applications.submitted),
        ApplicationAccepted: _flow(applications.accepted),
        ApplicationRejected: _flow(applications.rejected),
        ApplicationWaitlisted: _flow(applications.waitlisted),
        SeatOffered: _flow(applications.seat_offered),
        ApplicationExpired: _flow(applications.expired),
        ApplicationCancelled: _flow(applications.cancelled),
        FundsReserved: _flow(applications.funds_reserved),
        FundsReservationFailed: _flow(applications.funds_refused),
    }),
    ConsumerSpec("notifications", "contracts", {
        ContractOffered: _flow(contracts.offered),
        ContractSigned: _flow(contracts.signed),
        ContractTerminated: _flow(contracts.terminated),
        FundsDebited: _flow(contracts.debited),
    }),
    ConsumerSpec("notifications", "disputes", {
        DisputeOpened: _flow(disputes.opened),
        DisputeAnswered: _flow(disputes.answered),
        DisputeDecided: _flow(disputes.decided),
    }),
    ConsumerSpec("notifications", "certificates", {
        CertificateIssued: _flow(certificates.issued),
        CertificateActivated: _flow(certificates.activated),
        CertificateSuspended: _flow(certificates.suspended),
        CertificateReinstated: _flow(certificates.reinstated),
        CertificateClosed: _flow(certificates.closed),
    }),
    ConsumerSpec("notifications", "providers", {
        ProviderSubmitted: _flow(providers.submitted),
        ProviderApproved: _flow(providers.decided),
        ProviderRejected: _flow(providers.decided),
        InvoiceIssued: _flow(providers.invoice_issued),
        AdvanceGranted: _flow(providers.advance_granted),
    }),
]
