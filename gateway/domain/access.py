"""Who may use the gateway's own routes (each service checks its routes itself)."""
from __future__ import annotations

from pfdo_kit.auth import Principal, is_region_staff


def may_create_accounts(principal: Principal) -> bool:
    """Operators, admins and provider staff bound at once are made by an admin only."""
    return principal.role == "admin"


def manages_accounts(principal: Principal) -> bool:
    """Listing, blocking and unblocking accounts: an admin only."""
    return principal.role == "admin"


def sees_platform(principal: Principal) -> bool:
    """The platform's overview: the region's staff, who may read every process's /health and /metrics too."""
    return is_region_staff(principal)


def has_cabinet(principal: Principal) -> bool:
    return principal.role == "parent"
