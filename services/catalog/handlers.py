"""What the catalog does with other services' events: each handler hands one event to a flow."""
from __future__ import annotations

from pfdo_events.billing import ContractSigned, ContractTerminated
from pfdo_events.certificates import (
    AgreementUsageChanged,
    BalanceChanged,
    BalancesChanged,
    CertificateActivated,
    CertificateClosed,
    CertificateIssued,
    FundsReservationFailed,
    FundsReserved,
)
from pfdo_events.registry import PROVIDER_EVENTS, AgreementChanged
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.catalog.flows import applications, copies


async def on_provider_event(ctx: HandlerContext, e) -> None:
    await copies.keep_provider(ctx.session, e.provider, ctx.envelope.occurred_at, ctx.clock.today())


async def on_agreement(ctx: HandlerContext, e: AgreementChanged) -> None:
    await copies.keep_agreement(ctx.session, e, ctx.envelope.occurred_at)


async def on_agreement_usage(ctx: HandlerContext, e: AgreementUsageChanged) -> None:
    await copies.keep_usage(ctx.session, e, ctx.envelope.occurred_at)


async def on_certificate(ctx: HandlerContext, e: CertificateIssued | CertificateActivated) -> None:
    await copies.keep_certificate(ctx.session, e, ctx.envelope.occurred_at)


async def on_certificate_closed(ctx: HandlerContext, e: CertificateClosed) -> None:
    await copies.close_certificate(ctx.session, e.certificate_id, ctx.envelope.occurred_at)


async def on_balance(ctx: HandlerContext, e: BalanceChanged) -> None:
    await copies.keep_balances(ctx.session, [e], ctx.envelope.occurred_at)


async def on_balances(ctx: HandlerContext, e: BalancesChanged) -> None:
    await copies.keep_balances(ctx.session, e.balances, ctx.envelope.occurred_at)


async def on_funds_reserved(ctx: HandlerContext, e: FundsReserved) -> None:
    await applications.funds_reserved(ctx.session, e.application_id)
    await copies.keep_hold_news(ctx.session, e, ctx.envelope.occurred_at)


async def on_funds_refused(ctx: HandlerContext, e: FundsReservationFailed) -> None:
    await applications.funds_refused(ctx.session, ctx.outbox, e.application_id, e.reason_ru, ctx.clock,
                                     ctx.settings.offer_hours)


async def on_contract_signed(ctx: HandlerContext, e: ContractSigned) -> None:
    await applications.contract_signed(ctx.session, e.contract_id, ctx.envelope.occurred_at)


async def on_contract_terminated(ctx: HandlerContext, e: ContractTerminated) -> None:
    await applications.contract_terminated(ctx.session, ctx.outbox, e.contract_id, ctx.clock,
                                           ctx.settings.offer_hours)


CONSUMERS = [
    ConsumerSpec("catalog", "providers", {event: on_provider_event for event in PROVIDER_EVENTS}),
    ConsumerSpec("catalog", "certificates", {CertificateIssued: on_certificate, CertificateActivated: on_certificate,
                                             CertificateClosed: on_certificate_closed,
                                             BalanceChanged: on_balance, BalancesChanged: on_balances}),
    # Payment agreements (the registry's) and how much of each is used (the certificates service's).
    ConsumerSpec("catalog", "agreements", {AgreementChanged: on_agreement, AgreementUsageChanged: on_agreement_usage}),
    ConsumerSpec("catalog", "enrollment", {FundsReserved: on_funds_reserved, FundsReservationFailed: on_funds_refused,
                                           ContractSigned: on_contract_signed,
                                           ContractTerminated: on_contract_terminated}),
]
