"""Where in the Navigator a notice leads: paths under its public address (settings.public_base_url)."""
from __future__ import annotations

import uuid
from urllib.parse import quote


def absolute(base_url: str, path: str | None) -> str | None:
    return None if path is None else base_url.rstrip("/") + path


def application(application_id: uuid.UUID) -> str:
    return f"/cabinet/applications/{application_id}"


def contract(contract_id: uuid.UUID) -> str:
    return f"/cabinet/contracts/{contract_id}"


def certificate(certificate_id: uuid.UUID) -> str:
    return f"/cabinet/certificates/{certificate_id}"


def provider_application(application_id: uuid.UUID) -> str:
    return f"/provider/applications/{application_id}"


def provider_invoice(invoice_id: uuid.UUID) -> str:
    return f"/provider/invoices/{invoice_id}"


def provider_advances() -> str:
    return "/provider/advances"


def dispute(dispute_id: uuid.UUID) -> str:
    return f"/cabinet/disputes/{dispute_id}"


def provider_dispute(dispute_id: uuid.UUID) -> str:
    return f"/provider/disputes/{dispute_id}"


def operator_dispute(dispute_id: uuid.UUID) -> str:
    return f"/operator/disputes/{dispute_id}"


def operator_queue() -> str:
    return "/operator/verification"


def password_reset(token: str) -> str:
    return f"/password-reset?token={quote(token, safe='')}"


def preferences() -> str:
    return "/cabinet/notifications/settings"
