"""What the certificates service does with other services' events: each handler hands its
event to one flow, in the consumer's transaction with the inbox row. Flows stage their
answers through the outbox, which takes the correlation and causation from the message."""
from __future__ import annotations

from pfdo_events.billing import ChargesPosted, ContractTerminated, DebitReversed
from pfdo_events.catalog import ApplicationAccepted, ApplicationSubmitted
from pfdo_events.registry import AgreementChanged
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.certificates.flows.agreements import record_agreement
from services.certificates.flows.certificates import grant_provider_access
from services.certificates.flows.debits import debit_charges
from services.certificates.flows.reservations import release_on_termination, reserve_for_application
from services.certificates.flows.reversals import reverse_debit


async def on_application_submitted(ctx: HandlerContext, e: ApplicationSubmitted) -> None:
    await grant_provider_access(ctx.session, e.provider_id, e.certificate_id)


async def on_application_accepted(ctx: HandlerContext, e: ApplicationAccepted) -> None:
    await reserve_for_application(ctx.session, ctx.outbox, e, ctx.clock.today())


async def on_contract_terminated(ctx: HandlerContext, e: ContractTerminated) -> None:
    await release_on_termination(ctx.session, ctx.outbox, e, ctx.envelope.id)


async def on_charges_posted(ctx: HandlerContext, e: ChargesPosted) -> None:
    await debit_charges(ctx.session, ctx.outbox, e)


async def on_debit_reversed(ctx: HandlerContext, e: DebitReversed) -> None:
    await reverse_debit(ctx.session, ctx.outbox, e)


async def on_agreement_changed(ctx: HandlerContext, e: AgreementChanged) -> None:
    await record_agreement(ctx.session, ctx.outbox, e, ctx.envelope.occurred_at)


CONSUMERS = [
    ConsumerSpec("certificates", "enrollment",
                 {ApplicationSubmitted: on_application_submitted, ApplicationAccepted: on_application_accepted,
                  ContractTerminated: on_contract_terminated}),
    ConsumerSpec("certificates", "charges", {ChargesPosted: on_charges_posted, DebitReversed: on_debit_reversed}),
    ConsumerSpec("certificates", "agreements", {AgreementChanged: on_agreement_changed}),
]
