"""A payer municipality's payment agreement with a provider for a year: made or changed by the
payer's staff, recorded in the provider's history and announced in the caller's transaction —
`registry.agreement.changed` for the services that check payments against agreements, and the
provider's own `registry.provider.updated` (its snapshot names its newest active agreement)."""
from __future__ import annotations

import uuid

from sqlalchemy import select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.registry import AgreementChanged, ProviderUpdated
from pfdo_kit.auth import Principal
from pfdo_kit.errors import conflict
from pfdo_kit.municipalities import Municipality, known
from pfdo_kit.outbox import Outbox
from services.registry.api.schemas import AgreementIn
from services.registry.domain import access
from services.registry.domain.changes import AGREEMENT
from services.registry.domain.statuses import APPROVED, STATUS_NAMES
from services.registry.flows.providers import load_for_update, record, refusal, snapshot
from services.registry.models import PaymentAgreement


def _news(a: PaymentAgreement) -> AgreementChanged:
    return AgreementChanged(provider_id=a.provider_id, municipality=a.municipality, year=a.year, number=a.number,
                            signed_on=a.signed_on, limit_kop=a.limit_kop, active=a.active)


def _terms(a: PaymentAgreement) -> dict:
    return {"number": a.number, "signed_on": a.signed_on.isoformat(), "limit_kop": a.limit_kop, "active": a.active}


async def put(session: AsyncSession, outbox: Outbox, provider_id: uuid.UUID, municipality: str, year: int,
              data: AgreementIn, principal: Principal, municipalities: list[Municipality]) -> PaymentAgreement:
    """Make or replace the agreement. Only with an approved provider, unless it ends the agreement
    (`active: false`), which any provider's may. The same terms again change nothing and announce nothing."""
    provider = await load_for_update(session, provider_id)  # one writer of a provider's agreements at a time
    agreement = await session.get(PaymentAgreement, (provider_id, municipality, year), with_for_update=True)
    keeps = access.keeps_agreement(principal, municipality)
    # A payer keeps its own agreement even with a provider it no longer sees (suspended, excluded).
    if not keeps or not (agreement is not None or access.sees_at_all(
            principal, provider.status, provider.id, provider.municipality, provider.submitted_by)):
        raise refusal(principal, provider)
    known(municipalities, municipality)
    if data.active and provider.status != APPROVED:
        raise conflict("provider-not-approved",
                       f"Соглашение можно заключить только с допущенным поставщиком, а он {STATUS_NAMES[provider.status]}",
                       field="status")
    before = _terms(agreement) if agreement else None
    if agreement is None:
        agreement = PaymentAgreement(provider_id=provider_id, municipality=municipality, year=year, **data.model_dump())
        session.add(agreement)
    else:
        for name, value in data.model_dump().items():
            setattr(agreement, name, value)
    after = _terms(agreement)
    if after == before:
        return agreement
    await session.flush()
    await session.refresh(agreement)
    provider.version += 1
    record(session, provider, principal.actor, AGREEMENT, from_status=provider.status,
           changes={"agreement": {"municipality": municipality, "year": year, "before": before, "after": after}})
    await outbox.add(session, _news(agreement))
    await outbox.add(session, ProviderUpdated(provider=await snapshot(session, provider), actor=principal.actor))
    return agreement


Key = tuple[uuid.UUID, str, int]


async def announce_batch(session: AsyncSession, outbox: Outbox, after: Key | None,
                         batch: int) -> tuple[int, Key | None]:
    """Stage the news of up to `batch` agreements after `after` (in key order): (how many, the last key)."""
    key = tuple_(PaymentAgreement.provider_id, PaymentAgreement.municipality, PaymentAgreement.year)
    query = select(PaymentAgreement).order_by(PaymentAgreement.provider_id, PaymentAgreement.municipality,
                                              PaymentAgreement.year).limit(batch)
    if after is not None:
        query = query.where(key > tuple_(*after))
    rows = (await session.execute(query)).scalars().all()
    for agreement in rows:
        await outbox.add(session, _news(agreement))
    last = rows[-1] if rows else None
    return len(rows), (last.provider_id, last.municipality, last.year) if last else after
