"""Who may see a billing object: the family, the provider, the municipality's operators, admins.
Anyone else gets 404, which reveals nothing."""
from __future__ import annotations

from datetime import date

from fastapi import Request
from sqlalchemy import Select

from pfdo_kit.auth import Principal
from services.billing.models import Contract


def sees_contract(principal: Principal, contract: Contract) -> bool:
    return ((principal.role == "parent" and principal.subject == contract.owner)
            or (principal.role == "provider" and principal.provider_id == contract.provider_id)
            or principal.role == "admin"
            or (principal.role == "operator" and principal.municipality == contract.municipality))


def scoped_contracts(query: Select, principal: Principal) -> Select:
    if principal.role == "parent":
        return query.where(Contract.owner == principal.subject)
    if principal.role == "provider":
        return query.where(Contract.provider_id == principal.provider_id)
    if principal.role == "operator":
        return query.where(Contract.municipality == principal.municipality)
    return query


def today(request: Request) -> date:
    """The service's clock (tests set `app.state.clock` to live in a chosen month)."""
    clock = getattr(request.app.state, "clock", None)
    return clock() if clock else date.today()
