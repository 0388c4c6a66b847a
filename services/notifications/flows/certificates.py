"""Certificates: the family is told when theirs is activated, suspended or reinstated; one
waiting for verification is on the operators' list until it is activated or closed."""
from __future__ import annotations

from pfdo_events.certificates import (
    CertificateActivated,
    CertificateClosed,
    CertificateIssued,
    CertificateReinstated,
    CertificateSuspended,
)
from services.notifications.domain import templates
from services.notifications.flows import checks
from services.notifications.flows.notices import Cause, Notice, record


async def issued(cause: Cause, e: CertificateIssued) -> None:
    await checks.open_check(cause.session, checks.CERTIFICATE, e.certificate_id, e.municipality, e.number, cause.at)


async def activated(cause: Cause, e: CertificateActivated) -> None:
    await checks.settle(cause.session, checks.CERTIFICATE, e.certificate_id, cause.at, e.municipality, e.number)
    message = templates.certificate_activated(e.certificate_id, e.number)
    await record(cause, [Notice(e.owner, "certificate_activated", e.certificate_id, message)])


async def closed(cause: Cause, e: CertificateClosed) -> None:
    await checks.settle(cause.session, checks.CERTIFICATE, e.certificate_id, cause.at)


async def suspended(cause: Cause, e: CertificateSuspended) -> None:
    message = templates.certificate_suspended(e.certificate_id, e.number, e.reason)
    await record(cause, [Notice(e.owner, "certificate_suspended", e.certificate_id, message)])


async def reinstated(cause: Cause, e: CertificateReinstated) -> None:
    message = templates.certificate_reinstated(e.certificate_id, e.number)
    await record(cause, [Notice(e.owner, "certificate_reinstated", e.certificate_id, message)])
