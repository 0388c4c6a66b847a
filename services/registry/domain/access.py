"""Who may see and change which provider. Pure: a principal and a provider's facts."""
from __future__ import annotations

import uuid

from pfdo_kit.auth import Principal
from services.registry.domain.statuses import APPROVED


def is_district_staff_for(principal: Principal | None, municipality: str) -> bool:
    if principal is None:
        return False
    return principal.role == "admin" or (principal.role == "operator" and principal.municipality == municipality)


def is_own_provider(principal: Principal | None, provider_id: uuid.UUID, submitted_by: str) -> bool:
    return principal is not None and principal.role == "provider" and (
        principal.provider_id == provider_id or principal.subject == submitted_by
    )


def sees_full(principal: Principal | None, provider_id: uuid.UUID, municipality: str, submitted_by: str) -> bool:
    return is_district_staff_for(principal, municipality) or is_own_provider(principal, provider_id, submitted_by)


def sees_at_all(principal: Principal | None, status: str, provider_id: uuid.UUID, municipality: str, submitted_by: str) -> bool:
    """The public registry lists approved providers; applications and the rest are not public."""
    return status == APPROVED or sees_full(principal, provider_id, municipality, submitted_by)


def may_submit(principal: Principal) -> bool:
    return principal.role in ("provider", "operator", "admin")
