"""What billing does with other services' events, each in the consumer's transaction."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from pfdo_events.catalog import ApplicationAccepted, ApplicationCancelled
from pfdo_events.certificates import CertificateClosed, FundsDebited, FundsReservationFailed, FundsReserved
from pfdo_events.registry import PROVIDER_EVENTS, ProviderExcluded, ProviderSuspended
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.billing import contract_flow
from services.billing.domain.contracts import month_bounds, month_of
from services.billing.models import Contract, ProviderCopy, ReservationOutcome
from services.billing.month_close.confirming import confirm
from services.billing.month_close.invoicing import finish_if_confirmed


class AcceptanceNotYetSeen(Exception):
    """A withdrawal overtook the acceptance it withdraws: retried until the acceptance lands."""


async def on_accepted(ctx: HandlerContext, e: ApplicationAccepted) -> None:
    await contract_flow.draft(ctx.session, ctx.outbox, e)


async def _outcome(ctx: HandlerContext, application_id, reserved: bool, amount_kop: int, reason: str | None) -> None:
    await contract_flow.lock_application(ctx.session, application_id)
    values = dict(reserved=reserved, amount_kop=amount_kop, reason=reason)
    await ctx.session.execute(insert(ReservationOutcome).values(application_id=application_id, **values)
                              .on_conflict_do_nothing())
    contract = await ctx.session.get(Contract, application_id, with_for_update=True)
    if contract is not None:
        await contract_flow.apply_outcome(ctx.session, ctx.outbox, contract, ReservationOutcome(**values))


async def on_reserved(ctx: HandlerContext, e: FundsReserved) -> None:
    await _outcome(ctx, e.application_id, True, e.amount_kop, None)


async def on_refused(ctx: HandlerContext, e: FundsReservationFailed) -> None:
    await _outcome(ctx, e.application_id, False, 0, e.reason_ru)


async def on_cancelled(ctx: HandlerContext, e: ApplicationCancelled) -> None:
    await contract_flow.lock_application(ctx.session, e.application_id)
    contract = await ctx.session.get(Contract, e.application_id, with_for_update=True)
    if contract is None:
        if e.was_accepted:
            raise AcceptanceNotYetSeen(str(e.application_id))
        return
    await contract_flow.end(ctx.session, ctx.outbox, contract, _day(ctx), "parent", "Заявка отозвана семьёй")


async def on_certificate_closed(ctx: HandlerContext, e: CertificateClosed) -> None:
    contracts = (await ctx.session.execute(select(Contract).where(
        Contract.certificate_id == e.certificate_id, Contract.status.in_(("draft", "offered", "signed")))
        .with_for_update())).scalars().all()
    for contract in contracts:
        on = max(_day(ctx), contract.signed_on or _day(ctx))
        await contract_flow.end(ctx.session, ctx.outbox, contract, min(on, contract.ends_on), "system",
                                "Сертификат закрыт")


async def on_provider(ctx: HandlerContext, e) -> None:
    """Keep the newest provider state; a suspended or excluded provider's contracts finish the
    month and end (the district's rule), unsigned offers end at once."""
    p, at = e.provider, ctx.envelope.occurred_at
    values = dict(p.copy_values(), event_at=at)
    await ctx.session.execute(insert(ProviderCopy).values(id=p.provider_id, **values)
                              .on_conflict_do_update(index_elements=[ProviderCopy.id], set_=values,
                                                     where=ProviderCopy.event_at <= at))
    if not isinstance(e, ProviderSuspended | ProviderExcluded):
        return
    month_end = month_bounds(month_of(_day(ctx)))[1]
    contracts = (await ctx.session.execute(select(Contract).where(
        Contract.provider_id == p.provider_id, Contract.status.in_(("draft", "offered", "signed")))
        .with_for_update())).scalars().all()
    reason = "Поставщик приостановлен" if isinstance(e, ProviderSuspended) else "Поставщик исключён из реестра"
    for contract in contracts:
        on = _day(ctx) if contract.signed_on is None else max(min(month_end, contract.ends_on), contract.signed_on)
        await contract_flow.end(ctx.session, ctx.outbox, contract, on, "system", reason)


async def on_debited(ctx: HandlerContext, e: FundsDebited) -> None:
    await confirm(ctx.session, e)
    await finish_if_confirmed(ctx.session, ctx.outbox, e.month)


def _day(ctx: HandlerContext) -> date:
    return ctx.envelope.occurred_at.date()


CONSUMERS = [
    ConsumerSpec("billing", "enrollment", {
        ApplicationAccepted: on_accepted, ApplicationCancelled: on_cancelled, FundsReserved: on_reserved,
        FundsReservationFailed: on_refused, CertificateClosed: on_certificate_closed}),
    ConsumerSpec("billing", "debits", {FundsDebited: on_debited}),
    ConsumerSpec("billing", "providers", {event: on_provider for event in PROVIDER_EVENTS}),
]
