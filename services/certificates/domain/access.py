"""Who may see and do what with children, certificates and the district's runs. Pure: the
principal and the record's facts."""
from __future__ import annotations

from typing import Literal

from pfdo_kit.auth import Principal, is_district_staff

STAFF_ROLES = ("operator", "admin")  # the district's staff: periods, runs, reports
# What a list of children shows: the parent's own, one municipality's, or every child.
ChildrenScope = Literal["own", "municipality", "everything"]


def sees_child(principal: Principal, owner: str, municipality: str) -> bool:
    """The parent who added the child, or the district's staff. Providers see certificates
    only of children who applied to them (that arrives with the catalog's events)."""
    return (principal.role == "parent" and principal.subject == owner) or is_district_staff(principal, municipality)


def sees_full_snils(principal: Principal, municipality: str) -> bool:
    return is_district_staff(principal, municipality)


def sees_certificate(principal: Principal, municipality: str, child_owner: str | None, child_municipality: str | None,
                     provider_applied: bool = False) -> bool:
    """The staff of its municipality, whoever sees its child, or a provider the child applied to."""
    return (is_district_staff(principal, municipality)
            or (child_owner is not None and sees_child(principal, child_owner, child_municipality))
            or (principal.role == "provider" and provider_applied))


def finds_by_number(principal: Principal, municipality: str) -> bool:
    """A provider learns a card from the number a family gives it; an operator, only their municipality's."""
    return principal.role == "provider" or is_district_staff(principal, municipality)


def children_scope(principal: Principal) -> ChildrenScope | None:
    return {"parent": "own", "operator": "municipality", "admin": "everything"}.get(principal.role)


def adults_scope(principal: Principal) -> str | None:
    """Whose adults' certificates a close run covers: the operator's municipality, or all (None)."""
    return None if principal.role == "admin" else principal.municipality


def sees_run(principal: Principal, municipality: str | None) -> bool:
    """A run over one municipality: its staff; over the whole district: any of the district's staff."""
    if municipality is None:
        return principal.role in STAFF_ROLES
    return is_district_staff(principal, municipality)
