"""Events published by services/certificates."""
from __future__ import annotations

import uuid

from pfdo_events.envelope import Event


class CertificateIssued(Event):
    event_type = "certificates.certificate.issued"
    event_version = 1

    certificate_id: uuid.UUID
    child_id: uuid.UUID
    number: str
    municipality: str


class CertificateActivated(Event):
    event_type = "certificates.certificate.activated"
    event_version = 1

    certificate_id: uuid.UUID
    child_id: uuid.UUID
    number: str
    municipality: str
    kind: str
