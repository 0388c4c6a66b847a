"""The catalog's copies of other services' objects, kept from their events: providers and their
payment agreements from the registry, certificates (owner, birth date, status, balance) and the
agreements' usage from certificates (after a hold, both ride on the reservation's answer). Events
can arrive late or twice: a copy only ever moves to a newer event."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Text, and_, bindparam, case, or_, update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.certificates import (
    AgreementUsageChanged,
    BalanceChanged,
    CertificateActivated,
    CertificateIssued,
    FundsReserved,
)
from pfdo_events.registry import AgreementChanged, ProviderSnapshot
from pfdo_kit.copies import keep_newest
from pfdo_kit.precompiled import Precompiled
from services.catalog.domain.statuses import CERTIFICATE_ACTIVE, CERTIFICATE_PENDING
from services.catalog.flows import search_projection
from services.catalog.models import AgreementCopy, AgreementUsage, CertificateCopy, Provider

certificates = CertificateCopy.__table__


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
    await keep_newest(session, table, key, values, at)


async def keep_certificate(session: AsyncSession, e: CertificateIssued | CertificateActivated, at: datetime) -> None:
    """Whose child holds the certificate, the birth date for the age rule, the status."""
    values = dict(child_id=e.child_id, owner=e.owner, birth_date=e.birth_date, municipality=e.municipality,
                  status=CERTIFICATE_PENDING)
    if isinstance(e, CertificateActivated):
        values.update(status=CERTIFICATE_ACTIVE, kind=e.kind)
    await _keep_newest(session, CertificateCopy, e.certificate_id, values, at)


async def close_certificate(session: AsyncSession, certificate_id: uuid.UUID, at: datetime) -> None:
    await session.execute(update(certificates).where(certificates.c.id == certificate_id)
                          .values(status="closed", event_at=at))


async def keep_balances(session: AsyncSession, news: list[BalanceChanged], at: datetime) -> None:
    """Each certificate's balance, unless its copy holds a newer one, and its status (suspension and
    reinstatement travel here too) unless the copy holds a newer status: one UPDATE, executed for
    every certificate in one lock order."""
    await _KEEP_BALANCE.run_many(session, [
        {"new_id": e.certificate_id, "new_at": at, "new_available_kop": e.available_kop, "new_status": e.status,
         "new_kind": e.kind, "new_has_period": e.period_year is not None, "new_free_left": e.free_left}
        for e in sorted(news, key=lambda b: b.certificate_id)])


async def keep_hold_news(session: AsyncSession, e: FundsReserved, at: datetime) -> None:
    """What a reservation's answer tells besides the seat's money: the certificate's balance and the
    agreement's usage after the hold (each absent from older events, the usage from holds of no agreement)."""
    if e.balance is not None:
        await keep_balances(session, [e.balance], at)
    if e.agreement_usage is not None:
        await keep_usage(session, e.agreement_usage, at)


def _keep_balance() -> Precompiled:
    c, at = certificates.c, bindparam("new_at", type_=certificates.c.balance_at.type)
    kind = bindparam("new_kind", type_=Text)
    newer_balance = or_(c.balance_at.is_(None), c.balance_at <= at)
    newer_status = c.event_at <= at
    return Precompiled(update(certificates).where(c.id == bindparam("new_id", type_=c.id.type),
                                                  or_(newer_balance, newer_status)).values(
        available_kop=case((newer_balance, bindparam("new_available_kop", type_=BigInteger)), else_=c.available_kop),
        balance_at=case((newer_balance, at), else_=c.balance_at),
        free_left=case((and_(newer_balance, bindparam("new_has_period", type_=Boolean)),
                        bindparam("new_free_left", type_=c.free_left.type)), else_=c.free_left),
        kind=case((and_(newer_balance, kind.is_not(None)), kind), else_=c.kind),
        status=case((newer_status, bindparam("new_status", type_=Text)), else_=c.status),
        event_at=case((newer_status, at), else_=c.event_at)))


_KEEP_BALANCE = _keep_balance()


async def _keep_newest(session: AsyncSession, table: type[Provider] | type[CertificateCopy], key: uuid.UUID,
                       values: dict, at: datetime) -> None:
    """Insert the copy, or update it unless it already holds a newer event."""
    await keep_newest(session, table, {"id": key}, values, at)
