"""What billing does with other services' events: each handler hands the event to a flow, in
the consumer's transaction. The day a handler acts on is the day the event happened (in the
installation's time zone); a document a flow keeps is dated when the handler runs."""
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
from pfdo_events.gateway import ACCOUNT_EVENTS
from pfdo_events.registry import PROVIDER_EVENTS, AgreementChanged
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.billing.flows import accounts, agreements, contracts, disputes, providers
from services.billing.flows.documents import Paperwork, documents_for
from services.billing.flows.month_close.confirming import confirm


def _event_day(ctx: HandlerContext) -> date:
    return ctx.clock.local(ctx.envelope.occurred_at).date()


def _paper(ctx: HandlerContext) -> Paperwork:
    return Paperwork(documents_for(ctx.settings), ctx.clock.now())


async def on_accepted(ctx: HandlerContext, e: ApplicationAccepted) -> None:
    await contracts.draft(ctx.session, ctx.outbox, e, _event_day(ctx))


async def on_reserved(ctx: HandlerContext, e: FundsReserved) -> None:
    parties = dict(certificate_number=e.certificate_number, child_full_name=e.child_full_name,
                   child_birth_date=e.child_birth_date)
    await contracts.record_reservation(ctx.session, ctx.outbox, e.application_id, reserved=True,
                                       amount_kop=e.amount_kop, reason=None, today=_event_day(ctx), parties=parties)


async def on_refused(ctx: HandlerContext, e: FundsReservationFailed) -> None:
    await contracts.record_reservation(ctx.session, ctx.outbox, e.application_id, reserved=False, amount_kop=0,
                                       reason=e.reason_ru, today=_event_day(ctx))


async def on_cancelled(ctx: HandlerContext, e: ApplicationCancelled) -> None:
    await contracts.withdraw(ctx.session, ctx.outbox, e.application_id, e.was_accepted, _event_day(ctx), _paper(ctx))


async def on_certificate_closed(ctx: HandlerContext, e: CertificateClosed) -> None:
    await contracts.end_for_closed_certificate(ctx.session, ctx.outbox, e.certificate_id, _event_day(ctx),
                                               _paper(ctx))


async def on_provider(ctx: HandlerContext, e) -> None:
    await providers.apply_news(ctx.session, ctx.outbox, e, ctx.envelope.occurred_at, _event_day(ctx), _paper(ctx))


async def on_agreement(ctx: HandlerContext, e: AgreementChanged) -> None:
    await agreements.keep_copy(ctx.session, e, ctx.envelope.occurred_at)


async def on_account(ctx: HandlerContext, e) -> None:
    await accounts.keep_copy(ctx.session, e, ctx.envelope.occurred_at)


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
    # The accounts: whom a contract's offer names as the family (its owner's name and address).
    ConsumerSpec("billing", "accounts", {event: on_account for event in ACCOUNT_EVENTS}),
]
