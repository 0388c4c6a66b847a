"""Who may see and do what in billing. Pure: the principal and the object's facts.

A contract is seen by its family, its provider and the district's staff (an admin, or an
operator of its municipality); anyone else gets 404, which reveals nothing. Invoices and
advances are the provider's and the district staff's. `*_scope` are the same rules as
column filters for lists (empty: everything), applied with `within`."""
from __future__ import annotations

import uuid
from typing import Any, Protocol

from pfdo_kit.auth import Principal, Role, is_district_staff

MONEY_READERS: tuple[Role, ...] = ("provider", "operator", "admin")  # invoices, advances
DISTRICT_STAFF: tuple[Role, ...] = ("operator", "admin")  # month close, reconciliation report
TERMINATORS: tuple[Role, ...] = ("parent", "provider", "operator")


class ContractFacts(Protocol):
    owner: str
    provider_id: uuid.UUID
    municipality: str


def sees_contract(principal: Principal, contract: ContractFacts) -> bool:
    return ((principal.role == "parent" and principal.subject == contract.owner)
            or (principal.role == "provider" and principal.provider_id == contract.provider_id)
            or is_district_staff(principal, contract.municipality))


def contract_scope(principal: Principal) -> dict[str, Any]:
    """The contract columns a principal's lists are limited to."""
    if principal.role == "parent":
        return {"owner": principal.subject}
    if principal.role == "provider":
        return {"provider_id": principal.provider_id}
    if principal.role == "operator":
        return {"municipality": principal.municipality}
    return {}


def money_scope(principal: Principal) -> dict[str, Any]:
    """The provider or municipality columns a principal's invoices and advances are limited to."""
    if principal.role == "provider":
        return {"provider_id": principal.provider_id}
    if principal.role == "operator":
        return {"municipality": principal.municipality}
    return {}


def within(model: Any, scope: dict[str, Any]) -> list[Any]:
    """A scope as conditions on a table's columns of the same names."""
    return [getattr(model, column) == value for column, value in scope.items()]


def may_sign(principal: Principal, contract: ContractFacts) -> bool:
    """Only the account that applied signs (a parent, or a child of 14+ on their own account)."""
    return principal.role == "parent" and principal.subject == contract.owner


def may_terminate(principal: Principal, contract: ContractFacts) -> bool:
    """The family or the provider ends it, or the municipality's operator (who sees it)."""
    return principal.role in TERMINATORS and (principal.role != "parent" or principal.subject == contract.owner)


def may_mark_attendance(principal: Principal) -> bool:
    return principal.role == "provider"
