"""Who may see and do what with children, certificates, funding periods, runs and the ledger's
reports. Pure: the principal and the record's facts.

A municipality's own staff (its operator, or an admin) changes its objects: its children's
certificates, its funding periods, its runs. The region's staff (a regional operator, or an
admin) reads every municipality's periods, runs and reports, and changes none of them. A
municipal operator of one municipality neither sees nor changes another's."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pfdo_kit.auth import Principal, is_payer_staff, is_region_staff, sees_municipality

STAFF_ROLES = ("operator", "admin")  # who changes a municipality's money objects (each within its scope)
READER_ROLES = ("operator", "regional_operator", "admin")  # who reads periods, runs, reports (within scope)
# What a list of children shows: the parent's own, one municipality's, or every child.
ChildrenScope = Literal["own", "municipality", "everything"]


def own_municipality(principal: Principal) -> str | None:
    """The municipality a municipal operator's token names (None for anyone else, or a token without one)."""
    return principal.municipality if principal.role == "operator" else None


def sees_child(principal: Principal, owner: str, municipality: str) -> bool:
    """The parent who added the child, or its municipality's staff. Providers see certificates
    only of children who applied to them (that arrives with the catalog's events)."""
    return (principal.role == "parent" and principal.subject == owner) or is_payer_staff(principal, municipality)


def sees_full_snils(principal: Principal, municipality: str) -> bool:
    return is_payer_staff(principal, municipality)


def sees_certificate(principal: Principal, municipality: str, child_owner: str | None, child_municipality: str | None,
                     provider_applied: bool = False) -> bool:
    """The staff of its municipality, whoever sees its child, or a provider the child applied to."""
    return (is_payer_staff(principal, municipality)
            or (child_owner is not None and sees_child(principal, child_owner, child_municipality))
            or (principal.role == "provider" and provider_applied))


def finds_by_number(principal: Principal, municipality: str) -> bool:
    """A provider learns a card from the number a family gives it; an operator, only their municipality's."""
    return principal.role == "provider" or is_payer_staff(principal, municipality)


def children_scope(principal: Principal) -> ChildrenScope | None:
    """None: may not list children (a municipal operator's token must name its municipality)."""
    if principal.role == "operator":
        return "municipality" if principal.municipality else None
    return {"parent": "own", "admin": "everything"}.get(principal.role)


def adults_scope(principal: Principal) -> tuple[bool, str | None]:
    """(may ask, whose adults' certificates a close run covers): an operator its municipality's,
    an admin all (None)."""
    if principal.role == "admin":
        return True, None
    municipality = own_municipality(principal)
    return municipality is not None, municipality


def changes_periods(principal: Principal, municipality: str) -> bool:
    """Sets, opens and closes a municipality's funding period: its operator or an admin."""
    return is_payer_staff(principal, municipality)


def reads_periods(principal: Principal, municipality: str) -> bool:
    """Reads a municipality's funding periods and their runs: its own staff and the region's."""
    return sees_municipality(principal, municipality)


def sees_run(principal: Principal, municipality: str | None) -> bool:
    """A run over one municipality: its staff and the region's; over every municipality: the region's."""
    if municipality is None:
        return is_region_staff(principal)
    return sees_municipality(principal, municipality)


@dataclass(frozen=True)
class ReportScope:
    allowed: bool
    municipality: str | None  # None: the whole region


def ledger_report_scope(principal: Principal, asked: str | None) -> ReportScope:
    """Whose ledger report a principal reads: a municipality's (its staff, the region's staff), or
    the whole region's (region staff). A municipal operator asking for none reads its own."""
    if asked is None:
        if is_region_staff(principal):
            return ReportScope(True, None)
        own = own_municipality(principal)
        return ReportScope(own is not None, own)
    return ReportScope(sees_municipality(principal, asked), asked)


def names_children(principal: Principal, municipality: str | None) -> bool:
    """A register names its children (full name, birth date) to the municipality's own staff only (an
    admin too; the whole region's: an admin). The region's operator reads certificates and money, but a
    child's personal data is the municipality's, not the region's (minimisation)."""
    return is_payer_staff(principal, municipality)
