"""What the catalog does with other services' events."""
from __future__ import annotations

from sqlalchemy.dialects.postgresql import insert

from pfdo_events.registry import PROVIDER_EVENTS
from pfdo_events.billing import ContractSigned, ContractTerminated
from pfdo_events.certificates import (
    BalanceChanged,
    BalancesChanged,
    CertificateActivated,
    CertificateClosed,
    CertificateIssued,
    FundsReservationFailed,
    FundsReserved,
)
from pfdo_kit.bus.consumer import ConsumerSpec, HandlerContext
from services.catalog.applications import let_go
from services.catalog.models import Application, CertificateCopy, Provider


async def on_provider_event(ctx: HandlerContext, e) -> None:
    """Keep the newest state: a suspended or excluded provider's programs leave search at once
    (search joins on the provider's status). Older events arriving late change nothing."""
    p, at = e.provider, ctx.envelope.occurred_at
    values = dict(p.copy_values(), event_at=at)
    await ctx.session.execute(
        insert(Provider).values(id=p.provider_id, **values)
        .on_conflict_do_update(index_elements=[Provider.id], set_=values, where=Provider.event_at <= at)
    )


async def on_certificate(ctx: HandlerContext, e: CertificateIssued | CertificateActivated) -> None:
    """Remember whose child holds the certificate, the birth date for the age rule, the status."""
    at = ctx.envelope.occurred_at
    values = dict(child_id=e.child_id, owner=e.owner, birth_date=e.birth_date, municipality=e.municipality,
                  status="active" if isinstance(e, CertificateActivated) else "pending_verification", event_at=at)
    if isinstance(e, CertificateActivated):
        values["kind"] = e.kind
    await ctx.session.execute(
        insert(CertificateCopy).values(id=e.certificate_id, **values)
        .on_conflict_do_update(index_elements=[CertificateCopy.id], set_=values, where=CertificateCopy.event_at <= at))


async def on_certificate_closed(ctx: HandlerContext, e: CertificateClosed) -> None:
    cert = await ctx.session.get(CertificateCopy, e.certificate_id, with_for_update=True)
    if cert is not None:
        cert.status, cert.event_at = "closed", ctx.envelope.occurred_at


async def _take_balance(session, e: BalanceChanged, at) -> None:
    cert = await session.get(CertificateCopy, e.certificate_id, with_for_update=True)
    if cert is None:
        return
    if cert.balance_at is None or cert.balance_at <= at:
        cert.available_kop, cert.balance_at = e.available_kop, at
        if e.period_year is not None:
            cert.free_left = e.free_left
        if e.kind is not None:
            cert.kind = e.kind
    if cert.event_at <= at:  # suspension and reinstatement travel here too
        cert.status, cert.event_at = e.status, at


async def on_balance(ctx: HandlerContext, e: BalanceChanged) -> None:
    await _take_balance(ctx.session, e, ctx.envelope.occurred_at)


async def on_balances(ctx: HandlerContext, e: BalancesChanged) -> None:
    for news in sorted(e.balances, key=lambda b: b.certificate_id):  # one lock order
        await _take_balance(ctx.session, news, ctx.envelope.occurred_at)


async def on_funds_reserved(ctx: HandlerContext, e: FundsReserved) -> None:
    app = await ctx.session.get(Application, e.application_id, with_for_update=True)
    if app is not None and app.status == "accepted":
        app.status = "awaiting_signature"


def on_funds_refused(offer_hours: int):
    async def handle(ctx: HandlerContext, e: FundsReservationFailed) -> None:
        """Compensation: the seat is freed (offered to the waitlist) and the family sees why, in Russian."""
        app = await ctx.session.get(Application, e.application_id, with_for_update=True)
        if app is not None and app.status == "accepted":
            await let_go(ctx.session, app, "rejected", offer_hours, e.reason_ru)
    return handle


async def on_contract_signed(ctx: HandlerContext, e: ContractSigned) -> None:
    app = await ctx.session.get(Application, e.contract_id, with_for_update=True)
    if app is not None and app.status in ("accepted", "awaiting_signature"):
        app.status, app.enrolled_at = "enrolled", ctx.envelope.occurred_at


def on_contract_terminated(offer_hours: int):
    async def handle(ctx: HandlerContext, e: ContractTerminated) -> None:
        """The seat goes to the next family on the waitlist."""
        app = await ctx.session.get(Application, e.contract_id, with_for_update=True)
        if app is not None and app.holds_seat:
            await let_go(ctx.session, app, "cancelled", offer_hours, "Договор расторгнут")
    return handle


def consumers(offer_hours: int) -> list[ConsumerSpec]:
    return [
        ConsumerSpec("catalog", "providers", {event: on_provider_event for event in PROVIDER_EVENTS}),
        ConsumerSpec("catalog", "certificates", {CertificateIssued: on_certificate,
                                                 CertificateActivated: on_certificate,
                                                 CertificateClosed: on_certificate_closed,
                                                 BalanceChanged: on_balance, BalancesChanged: on_balances}),
        ConsumerSpec("catalog", "enrollment", {FundsReserved: on_funds_reserved,
                                               FundsReservationFailed: on_funds_refused(offer_hours),
                                               ContractSigned: on_contract_signed,
                                               ContractTerminated: on_contract_terminated(offer_hours)}),
    ]
