"""Who may see and change which provider. Pure: a principal and a provider's facts."""
from __future__ import annotations

import uuid
from typing import Literal

from pfdo_kit.auth import Principal, is_district_staff
from services.registry.domain.statuses import APPROVED

# What a listing shows: every provider, the operator's own municipality plus the public
# registry elsewhere, or the public registry only.
ListingScope = Literal["everything", "own_municipality", "public"]


def is_own_provider(principal: Principal | None, provider_id: uuid.UUID, submitted_by: str) -> bool:
    return principal is not None and principal.role == "provider" and (
        principal.provider_id == provider_id or principal.subject == submitted_by
    )


def sees_full(principal: Principal | None, provider_id: uuid.UUID, municipality: str, submitted_by: str) -> bool:
    return is_district_staff(principal, municipality) or is_own_provider(principal, provider_id, submitted_by)


def sees_at_all(principal: Principal | None, status: str, provider_id: uuid.UUID, municipality: str, submitted_by: str) -> bool:
    """The public registry lists approved providers; applications and the rest are not public."""
    return status == APPROVED or sees_full(principal, provider_id, municipality, submitted_by)


def listing_scope(principal: Principal | None) -> ListingScope:
    if principal is not None and principal.role == "admin":
        return "everything"
    if principal is not None and principal.role == "operator":
        return "own_municipality"
    return "public"


def may_submit(principal: Principal) -> bool:
    return principal.role in ("provider", "operator", "admin")
