"""Closing certificates: one at a time by the operator, or every child who turned 18."""
from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.certificates import CertificateClosed
from pfdo_kit.outbox import Outbox
from services.certificates.balance_news import announce_balance
from services.certificates.ledger_store import AVAILABLE, post
from services.certificates.models import Certificate, Child

log = logging.getLogger(__name__)


async def close(session: AsyncSession, outbox: Outbox, cert: Certificate, reason: str) -> int:
    """Close a locked, not yet closed certificate: what is free expires; money held for
    running contracts stays until billing ends them (it hears `certificate.closed`)."""
    available = await session.scalar(select(AVAILABLE).where(Certificate.id == cert.id))
    if available > 0:
        await post(session, cert.id, "expire", available, f"close:{cert.id}")
    cert.status, cert.closed_reason, cert.closed_at = "closed", reason, func.now()
    await session.flush()
    await announce_balance(session, outbox, cert.id, None)
    await outbox.add(session, CertificateClosed(certificate_id=cert.id, child_id=cert.child_id, reason=reason,
                                                expired_kop=available))
    await session.flush()
    return available


async def close_adults(session: AsyncSession, outbox: Outbox, today: date, municipality: str | None,
                       batch: int = 500) -> int:
    """Close the certificates of children whose 18th birthday has come. Returns how many."""
    born_before = date(today.year - 18, today.month, today.day if (today.month, today.day) != (2, 29) else 28)
    query = (select(Certificate).join(Child, Child.id == Certificate.child_id)
             .where(Certificate.status != "closed", Child.birth_date <= born_before)
             .order_by(Certificate.id).limit(batch).with_for_update(of=Certificate, skip_locked=True))
    if municipality is not None:
        query = query.where(Certificate.municipality == municipality)
    closed = 0
    for cert in (await session.execute(query)).scalars().all():
        await close(session, outbox, cert, "turned_18")
        closed += 1
    log.info("closed certificates of adults", extra={"closed": closed, "municipality": municipality})
    return closed
