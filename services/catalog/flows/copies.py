"""The catalog's copies of other services' objects, kept from their events: providers and their
payment agreements from the registry, certificates (owner, birth date, status, balance) and the
agreements' usage from certificates. Events can arrive late or twice: a copy only ever moves to
a newer event."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.certificates import AgreementUsageChanged, BalanceChanged, CertificateActivated, CertificateIssued
from pfdo_events.registry import AgreementChanged, ProviderSnapshot
from pfdo_kit.copies import newest_copy
from services.catalog.domain.statuses import CERTIFICATE_ACTIVE, CERTIFICATE_PENDING
from services.catalog.flows import search_projection
from services.catalog.models import AgreementCopy, AgreementUsage, CertificateCopy, Provider


async def keep_provider(session: AsyncSession, p: ProviderSnapshot, at: datetime, today: date) -> None:
    """A suspended or excluded provider's programs leave search at once, a reinstated one's return."""
    await _keep_newest(session, Provider, p.provider_id, p.copy_values(), at)
    await search_projection.project_provider(session, p.provider_id, today)


async def keep_agreement(session: AsyncSession, e: AgreementChanged, at: datetime) -> None:
    """A payer's agreement with a provider for a year: whether it is active and its limit."""
    await _keep_newest_of(session, AgreementCopy, e, {"number": e.number, "limit_kop": e.limit_kop, "active": e.active},
                          at)


async def keep_usage(session: AsyncSession, e: AgreementUsageChanged, at: datetime) -> None:
    """How much of the agreement the certificates hold or have paid."""
    await _keep_newest_of(session, AgreementUsage, e, {"used_kop": e.used_kop}, at)


async def _keep_newest_of(session: AsyncSession, table: type[AgreementCopy | AgreementUsage],
                          e: AgreementChanged | AgreementUsageChanged, values: dict, at: datetime) -> None:
    """Insert the copy of the provider × payer × year, or update it unless it holds a newer event."""
    key = {"provider_id": e.provider_id, "municipality": e.municipality, "year": e.year}
    await session.execute(newest_copy(table, key, values, at))


async def keep_certificate(session: AsyncSession, e: CertificateIssued | CertificateActivated, at: datetime) -> None:
    """Whose child holds the certificate, the birth date for the age rule, the status."""
    values = dict(child_id=e.child_id, owner=e.owner, birth_date=e.birth_date, municipality=e.municipality,
                  status=CERTIFICATE_PENDING)
    if isinstance(e, CertificateActivated):
        values.update(status=CERTIFICATE_ACTIVE, kind=e.kind)
    await _keep_newest(session, CertificateCopy, e.certificate_id, values, at)


async def close_certificate(session: AsyncSession, certificate_id: uuid.UUID, at: datetime) -> None:
    cert = await session.get(CertificateCopy, certificate_id, with_for_update=True)
    if cert is not None:
        cert.status, cert.event_at = "closed", at


async def keep_balances(session: AsyncSession, news: list[BalanceChanged], at: datetime) -> None:
    for one in sorted(news, key=lambda b: b.certificate_id):  # one lock order
        await _keep_balance(session, one, at)


async def _keep_balance(session: AsyncSession, e: BalanceChanged, at: datetime) -> None:
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


async def _keep_newest(session: AsyncSession, table: type[Provider] | type[CertificateCopy], key: uuid.UUID,
                       values: dict, at: datetime) -> None:
    """Insert the copy, or update it unless it already holds a newer event."""
    await session.execute(newest_copy(table, {"id": key}, values, at))
