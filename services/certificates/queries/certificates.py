"""A certificate as a principal may read it: by id, or by the number a family gave."""
from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.auth import Principal
from pfdo_kit.errors import invalid, not_found
from services.certificates.domain.access import finds_by_number, sees_certificate
from services.certificates.domain.certificate_number import number_ok
from services.certificates.models import Certificate, Child, ProviderAccess

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
