"""What billing does with other services' events: each handler hands the event to a flow, in
the consumer's transaction. The day a handler acts on is the day the event happened (in the
installation's time zone)."""
from __future__ import annotations

from datetime import date

from pfdo_events.catalog import ApplicationAccepted, ApplicationCancelled
from pfdo_events.certificates import (
    CertificateClosed,
    FundsDebited,
    FundsReservationFailed,
    FundsReserved,
    FundsReversed,
)
from pfdo_events.registry import PROVIDER_EVENTS, AgreementChanged
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.billing.flows import agreements, contracts, disputes, providers
from services.billing.flows.month_close.confirming import confirm


def _event_day(ctx: HandlerContext) -> date:
    return ctx.clock.local(ctx.envelope.occurred_at).date()


async def on_accepted(ctx: HandlerContext, e: ApplicationAccepted) -> None:
    await contracts.draft(ctx.session, ctx.outbox, e, _event_day(ctx))


async def on_reserved(ctx: HandlerContext, e: FundsReserved) -> None:
    await contracts.record_reservation(ctx.session, ctx.outbox, e.application_id, reserved=True,
                                       amount_kop=e.amount_kop, reason=None, today=_event_day(ctx))


async def on_refused(ctx: HandlerContext, e: FundsReservationFailed) -> None:
    await contracts.record_reservation(ctx.session, ctx.outbox, e.application_id, reserved=False, amount_kop=0,
                                       reason=e.reason_ru, today=_event_day(ctx))


async def on_cancelled(ctx: HandlerContext, e: ApplicationCancelled) -> None:
    await contracts.withdraw(ctx.session, ctx.outbox, e.application_id, e.was_accepted, _event_day(ctx))


async def on_certificate_closed(ctx: HandlerContext, e: CertificateClosed) -> None:
    await contracts.end_for_closed_certificate(ctx.session, ctx.outbox, e.certificate_id, _event_day(ctx))


async def on_provider(ctx: HandlerContext, e) -> None:
    await providers.apply_news(ctx.session, ctx.outbox, e, ctx.envelope.occurred_at, _event_day(ctx))


async def on_agreement(ctx: HandlerContext, e: AgreementChanged) -> None:
    await agreements.keep_copy(ctx.session, e, ctx.envelope.occurred_at)


async def on_debited(ctx: HandlerContext, e: FundsDebited) -> None:
    await confirm(ctx.session, e, ctx.clock.now())


async def on_reversed(ctx: HandlerContext, e: FundsReversed) -> None:
    await disputes.confirm_reversal(ctx.session, ctx.clock, e.reversal_id, ctx.envelope.occurred_at)


CONSUMERS = [
    ConsumerSpec("billing", "enrollment", {
        ApplicationAccepted: on_accepted, ApplicationCancelled: on_cancelled, FundsReserved: on_reserved,
        FundsReservationFailed: on_refused, CertificateClosed: on_certificate_closed}),
    ConsumerSpec("billing", "debits", {FundsDebited: on_debited, FundsReversed: on_reversed}),
    # The providers and their agreements with the payers, in one queue.
    ConsumerSpec("billing", "providers", {**{event: on_provider for event in PROVIDER_EVENTS},
                                          AgreementChanged: on_agreement}),
]
