"""Certificates: issued at the parent's request, activated, suspended, reinstated and closed
by their municipality's staff, closed in batches when children turn 18; providers' access to them."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.certificates import (
    CertificateActivated,
    CertificateClosed,
    CertificateIssued,
    CertificateReinstated,
    CertificateSuspended,
)
from pfdo_kit.auth import Principal, forbidden, is_payer_staff
from pfdo_kit.errors import conflict, invalid, not_found
from pfdo_kit.outbox import Outbox
from pfdo_kit.precompiled import Precompiled
from pfdo_kit.transitions import IllegalMove
from services.certificates.domain.access import sees_child
from services.certificates.domain.certificate_number import make_number
from services.certificates.domain.eligibility import adults_born_on_or_before, age_rule, eligible
from services.certificates.domain.statuses import (
    ACCOUNTING,
    CERTIFICATE_TRANSITIONS,
    CLOSED,
    PENDING,
)
from services.certificates.flows.balance_news import announce_balance
from services.certificates.flows.ledger import available_of, post_entry
from services.certificates.flows.runs import Batch
from services.certificates.models import CERTIFICATE_SERIAL, Certificate, Child, ProviderAccess
from services.certificates.queries.certificates import visible
from services.certificates.queries.children import CHILD_NOT_FOUND


async def issue(session: AsyncSession, outbox: Outbox, principal: Principal, child_id: uuid.UUID, today: date,
                min_age: int, max_age: int, number_prefix: str) -> Certificate:
    """The certificate a parent (or the staff) asks for a child: pending until the staff checks documents."""
    child = await session.get(Child, child_id, with_for_update=True)
    if child is None or not sees_child(principal, child.owner, child.municipality):
        raise not_found(CHILD_NOT_FOUND)
    if not eligible(child.birth_date, today, min_age, max_age):
        raise invalid("birth_date", age_rule(min_age, max_age))
    if (await session.execute(select(Certificate.id).where(Certificate.child_id == child_id))).first():
        raise conflict("certificate-exists", "У ребёнка уже есть сертификат")
    serial = (await session.execute(CERTIFICATE_SERIAL.next_value().select())).scalar_one()
    cert = Certificate(id=uuid.uuid4(), child_id=child.id, number=make_number(serial, number_prefix),
                       status=PENDING, kind=ACCOUNTING, municipality=child.municipality,
                       credited_kop=0, expired_kop=0, held_kop=0, debited_kop=0, reversed_kop=0)
    session.add(cert)
    await session.flush()
    await outbox.add(session, CertificateIssued(
        certificate_id=cert.id, child_id=child.id, owner=child.owner, birth_date=child.birth_date,
        number=cert.number, municipality=cert.municipality))
    await session.refresh(cert)
    return cert


async def _staff_transition(session: AsyncSession, principal: Principal, certificate_id: uuid.UUID,
                            action: str) -> tuple[Certificate, str]:
    """The locked certificate and the status the action leads to, or 403/404/409."""
    cert = await visible(session, principal, certificate_id, lock=True)
    if not is_payer_staff(principal, cert.municipality):
        raise forbidden()
    try:
        return cert, CERTIFICATE_TRANSITIONS.next(cert.status, action)
    except IllegalMove as refused:
        raise conflict("illegal-transition", CERTIFICATE_TRANSITIONS[refused.action].refusal, field="status") from None


async def change_status(session: AsyncSession, outbox: Outbox, principal: Principal, certificate_id: uuid.UUID,
                        action: str, reason: str | None = None) -> Certificate:
    """Activate (after the documents are checked), suspend (`reason`: what the family is told)
    or reinstate; the family's account hears of each."""
    cert, target = await _staff_transition(session, principal, certificate_id, action)
    cert.status = target
    child = await session.get(Child, cert.child_id)
    if action == "activate":
        await outbox.add(session, CertificateActivated(
            certificate_id=cert.id, child_id=cert.child_id, owner=child.owner, birth_date=child.birth_date,
            number=cert.number, municipality=cert.municipality, kind=cert.kind))
    elif action == "suspend":
        await outbox.add(session, CertificateSuspended(
            certificate_id=cert.id, child_id=cert.child_id, owner=child.owner, number=cert.number,
            municipality=cert.municipality, reason=reason))
    elif action == "reinstate":
        await outbox.add(session, CertificateReinstated(
            certificate_id=cert.id, child_id=cert.child_id, owner=child.owner, number=cert.number,
            municipality=cert.municipality))
    await session.flush()
    await announce_balance(session, outbox, cert.id, None)  # carries the new status to the catalog
    return cert


async def close_by_staff(session: AsyncSession, outbox: Outbox, principal: Principal, certificate_id: uuid.UUID,
                         reason: str) -> Certificate:
    cert, _ = await _staff_transition(session, principal, certificate_id, "close")
    await close(session, outbox, cert, reason)
    await session.refresh(cert)
    return cert


async def close(session: AsyncSession, outbox: Outbox, cert: Certificate, reason: str) -> int:
    """Close a locked, not yet closed certificate: what is free expires; money held for
    running contracts stays until billing ends them (it hears `certificate.closed`).
    Returns the kopecks expired."""
    free = await available_of(session, cert.id)
    if free > 0:
        await post_entry(session, cert.id, "expire", free, f"close:{cert.id}")
    cert.status, cert.closed_reason, cert.closed_at = CLOSED, reason, func.now()
    await session.flush()
    await announce_balance(session, outbox, cert.id, None)
    await outbox.add(session, CertificateClosed(certificate_id=cert.id, child_id=cert.child_id, reason=reason,
                                                expired_kop=free))
    await session.flush()
    return free


def _adults_after(today: date, municipality: str | None, after: uuid.UUID | None):
    query = (select(Certificate).join(Child, Child.id == Certificate.child_id)
             .where(Certificate.status != CLOSED, Child.birth_date <= adults_born_on_or_before(today)))
    if municipality is not None:
        query = query.where(Certificate.municipality == municipality)
    return query if after is None else query.where(Certificate.id > after)


async def count_adults(session: AsyncSession, today: date, municipality: str | None) -> int:
    return int(await session.scalar(select(func.count()).select_from(
        _adults_after(today, municipality, None).subquery())))


async def close_adults_batch(session: AsyncSession, outbox: Outbox, today: date, municipality: str | None,
                             after: uuid.UUID | None, size: int) -> Batch:
    """Close the next certificates (by id, after `after`) of children whose 18th birthday has come."""
    query = _adults_after(today, municipality, after).order_by(Certificate.id).limit(size)
    certs = (await session.execute(query.with_for_update(of=Certificate))).scalars().all()
    expired = 0
    for cert in certs:
        expired += await close(session, outbox, cert, "turned_18")
    return Batch(len(certs), certs[-1].id if certs else after, len(certs), expired, finished=len(certs) < size)


async def grant_provider_access(session: AsyncSession, provider_id: uuid.UUID, certificate_id: uuid.UUID) -> None:
    """The child applied to this provider: it may read the certificate from now on."""
    await _GRANT.run(session, granted_to=provider_id, granted_certificate=certificate_id)


def provider_access(provider_id, certificate_id):
    """The INSERT granting it (once: a grant again changes nothing), for a statement of its own or a CTE.
    Values or SQL expressions (bound parameters of a statement built once)."""
    return (insert(ProviderAccess).values(provider_id=provider_id, certificate_id=certificate_id)
            .on_conflict_do_nothing())


# Compiled once: every application submitted grants one.
_GRANT = Precompiled(provider_access(bindparam("granted_to", type_=ProviderAccess.provider_id.type),
                                     bindparam("granted_certificate", type_=ProviderAccess.certificate_id.type)))
