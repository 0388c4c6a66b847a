"""A certificate as a principal may read it: by id, or by the number a family gave; and what an
accounting certificate can expect from its first certified enrollment."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import invalid, not_found
from services.certificates.domain.access import finds_by_number, sees_certificate
from services.certificates.domain.certificate_number import number_ok
from services.certificates.domain.periods import FundingOutlook, FundingTerms, Nominal, funding_outlook
from services.certificates.domain.statuses import ACCOUNTING, ACTIVE, OPEN
from services.certificates.models import Certificate, Child, FundingPeriod, ProviderAccess
from services.certificates.queries.periods import credited_so_far, funded_now

NOT_FOUND = "Сертификат не найден"


async def visible(session: AsyncSession, principal: Principal, certificate_id: uuid.UUID, *, lock: bool = False,
                  providers_too: bool = False) -> Certificate:
    """The certificate if the principal may see it; otherwise 404, as if it did not exist."""
    cert = await session.get(Certificate, certificate_id, with_for_update=lock)
    if cert is None:
        raise not_found(NOT_FOUND)
    child = await session.get(Child, cert.child_id) if cert.child_id else None
    applied = (providers_too and principal.role == "provider" and principal.provider_id is not None
               and await session.get(ProviderAccess, (principal.provider_id, cert.id)) is not None)
    if not sees_certificate(principal, cert.municipality, child.owner if child else None,
                            child.municipality if child else None, applied):
        raise not_found(NOT_FOUND)
    return cert


async def find_by_number(session: AsyncSession, principal: Principal, number: str) -> Certificate:
    if not number_ok(number):
        raise invalid("number", "Проверьте номер сертификата: 10 цифр, контрольная цифра не сходится")
    cert = (await session.execute(select(Certificate).where(Certificate.number == number))).scalar_one_or_none()
    if cert is None or not finds_by_number(principal, cert.municipality):
        raise not_found(NOT_FOUND)
    return cert


async def funding_outlook_of(session: AsyncSession, cert: Certificate, today: date) -> FundingOutlook | None:
    """For an active accounting certificate (no money until its first certified enrollment), what
    that enrollment would credit today, or why nothing; None for any other certificate."""
    if cert.kind != ACCOUNTING or cert.status != ACTIVE or cert.child_id is None:
        return None
    child = await session.get(Child, cert.child_id)
    period = await session.get(FundingPeriod, (cert.municipality, today.year))  # its municipality's period
    terms = None if period is None else FundingTerms(
        year=period.year, open=period.status == OPEN, starts_on=period.starts_on, ends_on=period.ends_on,
        nominals=[Nominal(**n) for n in period.nominals], funded_quota=period.funded_quota,
        funded=await funded_now(session, cert.municipality), budget_cap_kop=period.budget_cap_kop,
        credited_kop=await credited_so_far(session, cert.municipality, period.year))
    return funding_outlook(terms, today.year, child.birth_date, child.ovz, today)
