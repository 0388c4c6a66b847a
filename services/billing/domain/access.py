"""Who may see and do what in billing. Pure: the principal and the object's facts.

A contract is seen by its family, its provider and its payer's staff (an admin, or the operator of
the municipality that pays for it); anyone else gets 404, which reveals nothing. The region's
operator runs the registry and reads every municipality's reports and invoices, but a child's
contract, attendance and debits are the payer's and the family's: not its. Invoices and advances
are the provider's, its payers' staff's and the region staff's (read). A month is closed by its
payer's operator or an admin; the region staff read its progress. `*_scope` are the same rules as
column filters for lists (empty: everything), applied with `within`; None: the role sees none."""
from __future__ import annotations

import uuid
from typing import Any, Protocol

from pfdo_kit.auth import Principal, Role, is_payer_staff, is_region_staff, sees_municipality

MONEY_READERS: tuple[Role, ...] = ("provider", "operator", "regional_operator", "admin")  # invoices, advances
CONTRACT_READERS: tuple[Role, ...] = ("parent", "provider", "operator", "admin")
TERMINATORS: tuple[Role, ...] = ("parent", "provider", "operator")


class ContractFacts(Protocol):
    owner: str
    provider_id: uuid.UUID
    payer: str


def sees_contract(principal: Principal, contract: ContractFacts) -> bool:
    return ((principal.role == "parent" and principal.subject == contract.owner)
            or (principal.role == "provider" and principal.provider_id == contract.provider_id)
            or is_payer_staff(principal, contract.payer))


def contract_scope(principal: Principal) -> dict[str, Any] | None:
    """The contract columns a principal's lists are limited to; None: it sees no contracts."""
    if principal.role == "parent":
        return {"owner": principal.subject}
    if principal.role == "provider":
        return {"provider_id": principal.provider_id}
    if principal.role == "operator":
        return {"payer": principal.municipality}
    if principal.role == "admin":
        return {}
    return None


def money_scope(principal: Principal) -> dict[str, Any]:
    """The provider or payer columns a principal's invoices and advances are limited to (the
    caller checked the role is one of MONEY_READERS)."""
    if principal.role == "provider":
        return {"provider_id": principal.provider_id}
    if principal.role == "operator":
        return {"payer": principal.municipality}
    return {}


def within(model: Any, scope: dict[str, Any]) -> list[Any]:
    """A scope as conditions on a table's columns of the same names."""
    return [getattr(model, column) == value for column, value in scope.items()]


def may_sign(principal: Principal, contract: ContractFacts) -> bool:
    """Only the account that applied signs (a parent, or a child of 14+ on their own account)."""
    return principal.role == "parent" and principal.subject == contract.owner


def may_terminate(principal: Principal, contract: ContractFacts) -> bool:
    """The family or the provider ends it, or the payer's operator (who sees it)."""
    return principal.role in TERMINATORS and (principal.role != "parent" or principal.subject == contract.owner)


def may_mark_attendance(principal: Principal) -> bool:
    return principal.role == "provider"


def may_close_month(principal: Principal, municipality: str) -> bool:
    """A payer's month is closed by its operator or an admin."""
    return is_payer_staff(principal, municipality)


def sees_month(principal: Principal, municipality: str) -> bool:
    """A payer's month close and reconciliation: its staff and the region's."""
    return sees_municipality(principal, municipality)


def sees_region(principal: Principal) -> bool:
    """The whole region's reconciliation: the region staff."""
    return is_region_staff(principal)


def report_payer(principal: Principal, asked: str | None) -> tuple[bool, str | None]:
    """(may read, whose) a register of contracts or payments: a payer's for its operator (its own when it
    names none) and the region's staff; naming none, the region staff read the whole region's."""
    if asked is not None:
        return sees_month(principal, asked), asked
    if sees_region(principal):
        return True, None
    own = principal.municipality if principal.role == "operator" else None
    return own is not None, own


def names_children(principal: Principal, payer: str | None) -> bool:
    """A register names its children (full name) to the payer's staff only: the region's operator reads the
    register's contracts and money, but a child's personal data is the payer's, not the region's (minimisation)."""
    return is_payer_staff(principal, payer)


def may_open_dispute(principal: Principal, contract: ContractFacts) -> bool:
    """A debit is disputed by the account that signed for the child: the contract's family."""
    return principal.role == "parent" and principal.subject == contract.owner


def may_answer_dispute(principal: Principal, dispute: ContractFacts) -> bool:
    """The provider that was paid answers."""
    return principal.role == "provider" and principal.provider_id == dispute.provider_id


def may_decide_dispute(principal: Principal, dispute: ContractFacts) -> bool:
    """What the provider did not give back is decided by the payer's operator (or an admin)."""
    return is_payer_staff(principal, dispute.payer)
