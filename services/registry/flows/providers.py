"""The provider's writes (submit, the status decisions, venues). Each changes the provider,
records who and why in its history and stages its event, all in the caller's transaction; the
routes answer with the reads of `queries/providers.py`. Agreements: flows/agreements.py."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.registry import STATUS_EVENTS, ProviderRequisites, ProviderSnapshot, ProviderUpdated
from pfdo_kit import context
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.errors import ProblemError, conflict, invalid, not_found
from pfdo_kit.municipalities import Municipality, known
from pfdo_kit.outbox import Outbox
from pfdo_kit.transitions import IllegalMove
from services.registry.api.schemas import ProviderIn, VenueIn
from services.registry.domain import access
from services.registry.domain.changes import ADD_VENUE, SUBMIT
from services.registry.domain.provider_rules import Requisites, requisites_errors
from services.registry.domain.statuses import (
    STATUS_NAMES,
    SUBMITTED,
    TRANSITIONS,
)
from services.registry.models import Provider, ProviderChange, Venue
from services.registry.queries.agreements import newest_active
from services.registry.queries.providers import NOT_FOUND


async def snapshot(session: AsyncSession, p: Provider) -> ProviderSnapshot:
    """The provider as its events carry it. The old single agreement's fields name its newest active
    agreement with any payer (none: null), so a consumer's `has_payment_agreement` means "holds an
    active agreement"; the agreements themselves travel as `registry.agreement.changed`. The
    requisites are what a contract's offer names the provider by (billing prints them)."""
    agreement = await newest_active(session, p.id)
    return ProviderSnapshot(
        provider_id=p.id, status=p.status, kind=p.kind, short_name=p.short_name, inn=p.inn,
        municipality=p.municipality, payment_agreement_number=agreement.number if agreement else None,
        payment_agreement_date=agreement.signed_on if agreement else None, submitted_by=p.submitted_by,
        requisites=ProviderRequisites(
            full_name=p.full_name, kind=p.kind, inn=p.inn, ogrn=p.ogrn, kpp=p.kpp, licence_number=p.licence_number,
            licence_date=p.licence_date, legal_address=p.legal_address, bank_bik=p.bank_bik,
            bank_account=p.bank_account),
    )


async def announce_batch(session: AsyncSession, outbox: Outbox, after: uuid.UUID | None,
                         batch: int) -> tuple[int, uuid.UUID | None]:
    """Stage `registry.provider.updated` with the current snapshot of up to `batch` providers
    after `after` (by id): (how many, the last id). The backfill of `announce-providers`."""
    query = select(Provider).order_by(Provider.id).limit(batch)
    if after is not None:
        query = query.where(Provider.id > after)
    rows = (await session.execute(query)).scalars().all()
    for provider in rows:
        await outbox.add(session, ProviderUpdated(provider=await snapshot(session, provider), actor="system"))
    return len(rows), rows[-1].id if rows else after


def record(session: AsyncSession, p: Provider, actor: str, action: str, *, from_status: str | None = None,
            reason: str | None = None, changes: dict | None = None) -> None:
    session.add(ProviderChange(
        provider_id=p.id, actor=actor, action=action, from_status=from_status, to_status=p.status,
        reason=reason, changes=changes or {}, request_id=context.request_id.get(),
    ))


def refusal(principal: Principal, p: Provider) -> ProblemError:
    """403 to someone who may see the provider, 404 to someone who may not know it exists."""
    if access.sees_at_all(principal, p.status, p.id, p.municipality, p.submitted_by):
        return forbidden()
    return not_found(NOT_FOUND)


async def load_for_update(session: AsyncSession, provider_id: uuid.UUID) -> Provider:
    provider = (
        await session.execute(select(Provider).where(Provider.id == provider_id).with_for_update())
    ).scalar_one_or_none()
    if provider is None:
        raise not_found(NOT_FOUND)
    return provider


async def _region_loads(session: AsyncSession, provider_id: uuid.UUID, principal: Principal) -> Provider:
    """The provider, locked, for a decision only the region's staff may take."""
    provider = await load_for_update(session, provider_id)
    if not access.decides_status(principal):
        raise refusal(principal, provider)
    return provider


async def submit(session: AsyncSession, outbox: Outbox, data: ProviderIn, principal: Principal, today: date,
                 municipalities: list[Municipality]) -> Provider:
    if not access.may_submit(principal):
        raise forbidden()
    known(municipalities, data.municipality)
    errors = requisites_errors(
        Requisites(kind=data.kind, inn=data.inn, ogrn=data.ogrn, kpp=data.kpp or None, bank_bik=data.bank_bik,
                   bank_account=data.bank_account, teaches_alone=data.teaches_alone,
                   licence_number=data.licence_number, licence_date=data.licence_date),
        today,
    )
    if errors:
        first = errors[0]
        raise ProblemError(422, "validation", "Проверьте реквизиты поставщика", first.message, first.field,
                           [{"field": e.field, "message": e.message} for e in errors])

    fields = data.model_dump(exclude={"venues"})
    fields["kpp"] = fields["kpp"] or None
    provider = Provider(id=uuid.uuid4(), status=SUBMITTED, submitted_by=principal.subject, version=1, **fields)
    session.add(provider)
    for v in data.venues:
        session.add(Venue(provider_id=provider.id, title=v.title, address=v.address))
    try:
        await session.flush()
    except IntegrityError:
        raise conflict("provider-exists", "Поставщик с таким ИНН уже есть в реестре", field="inn") from None
    record(session, provider, principal.actor, SUBMIT, changes={"inn": provider.inn})
    await outbox.add(session, STATUS_EVENTS[SUBMITTED](provider=await snapshot(session, provider),
                                                        actor=principal.actor))
    return provider


async def decide(session: AsyncSession, outbox: Outbox, provider_id: uuid.UUID, action: str,
                 reason: str | None, principal: Principal) -> Provider:
    """Approve, reject, suspend, reinstate or exclude, as `domain.statuses.TRANSITIONS` allows."""
    provider = await _region_loads(session, provider_id, principal)
    transition = TRANSITIONS[action]
    if transition.needs_reason and not reason:
        raise invalid("reason", "Укажите причину")
    try:
        target = TRANSITIONS.next(provider.status, action)
    except IllegalMove:
        raise conflict(
            "illegal-transition",
            f"Нельзя {transition.verb} поставщика: он {STATUS_NAMES[provider.status]}",
            detail=f"{action} is not allowed from {provider.status}",
            field="status",
        ) from None
    before = provider.status
    provider.status = target
    provider.version += 1
    record(session, provider, principal.actor, action, from_status=before, reason=reason)
    await outbox.add(
        session, STATUS_EVENTS[transition.event](provider=await snapshot(session, provider), actor=principal.actor,
                                                 reason=reason)
    )
    return provider


async def add_venue(session: AsyncSession, provider_id: uuid.UUID, data: VenueIn, principal: Principal) -> Venue:
    provider = await load_for_update(session, provider_id)
    if not access.sees_full(principal, provider.id, provider.municipality, provider.submitted_by):
        raise refusal(principal, provider)
    venue = Venue(id=uuid.uuid4(), provider_id=provider.id, title=data.title, address=data.address)
    session.add(venue)
    provider.version += 1
    record(session, provider, principal.actor, ADD_VENUE, from_status=provider.status,
            changes={"venue": {"title": data.title, "address": data.address}})
    return venue
