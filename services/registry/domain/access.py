"""Who may see and change which provider and which payment agreement. Pure: a principal and the
facts of the object.

The region runs the registry: its staff (a regional operator, an admin) decide the providers'
statuses and see every provider in full. A municipal operator sees its municipality's providers
in full and the public registry elsewhere, and keeps its municipality's agreements as payer."""
from __future__ import annotations

import uuid
from typing import Literal

from pfdo_kit.auth import Principal, is_payer_staff, is_region_staff, sees_municipality
from services.registry.domain.statuses import APPROVED

# What a listing shows: every provider, the operator's own municipality plus the public
# registry elsewhere, or the public registry only.
ListingScope = Literal["everything", "own_municipality", "public"]
# Which agreements of a provider a principal reads: all of them, those of its own municipality as
# payer, or none.
AgreementScope = Literal["all", "own_payer", "none"]


def is_own_provider(principal: Principal | None, provider_id: uuid.UUID, submitted_by: str) -> bool:
    return principal is not None and principal.role == "provider" and (
        principal.provider_id == provider_id or principal.subject == submitted_by
    )


def sees_full(principal: Principal | None, provider_id: uuid.UUID, municipality: str, submitted_by: str) -> bool:
    return sees_municipality(principal, municipality) or is_own_provider(principal, provider_id, submitted_by)


def sees_history(principal: Principal | None, provider_id: uuid.UUID, municipality: str, submitted_by: str,
                 pays_it: bool) -> bool:
    """Who sees the full card, and the operator of a municipality that holds or held a payment agreement with
    the provider (`pays_it`): the payer checks whom its money goes to."""
    return sees_full(principal, provider_id, municipality, submitted_by) or (
        pays_it and principal is not None and principal.role == "operator")


def payer_operator_of(principal: Principal | None) -> str | None:
    """The municipality a municipal operator pays for (None for anyone else)."""
    return principal.municipality if principal is not None and principal.role == "operator" else None


def sees_at_all(principal: Principal | None, status: str, provider_id: uuid.UUID, municipality: str, submitted_by: str) -> bool:
    """The public registry lists approved providers; applications and the rest are not public."""
    return status == APPROVED or sees_full(principal, provider_id, municipality, submitted_by)


def decides_status(principal: Principal | None) -> bool:
    """Approve, reject, suspend, reinstate, exclude: the region's staff."""
    return is_region_staff(principal)


def listing_scope(principal: Principal | None) -> ListingScope:
    if is_region_staff(principal):
        return "everything"
    if principal is not None and principal.role == "operator":
        return "own_municipality"
    return "public"


def may_submit(principal: Principal) -> bool:
    return principal.role in ("provider", "operator", "regional_operator", "admin")


def keeps_agreement(principal: Principal | None, payer: str) -> bool:
    """Makes and changes the agreements of a payer municipality: its operator or an admin."""
    return is_payer_staff(principal, payer)


def agreement_scope(principal: Principal | None, provider_id: uuid.UUID, submitted_by: str) -> AgreementScope:
    if is_region_staff(principal) or is_own_provider(principal, provider_id, submitted_by):
        return "all"
    if principal is not None and principal.role == "operator" and principal.municipality:
        return "own_payer"
    return "none"
