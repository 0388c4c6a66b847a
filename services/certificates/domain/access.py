"""Who may see a child and their certificate. Pure: the principal and the record's facts."""
from __future__ import annotations

from pfdo_kit.auth import Principal


def is_district_staff_for(principal: Principal, municipality: str) -> bool:
    return principal.role == "admin" or (principal.role == "operator" and principal.municipality == municipality)


def sees_child(principal: Principal, owner: str, municipality: str) -> bool:
    """The parent who added the child, or the district's staff. Providers see certificates
    only of children who applied to them (that arrives with the catalog's events)."""
    return (principal.role == "parent" and principal.subject == owner) or is_district_staff_for(principal, municipality)


def sees_full_snils(principal: Principal, municipality: str) -> bool:
    return is_district_staff_for(principal, municipality)
