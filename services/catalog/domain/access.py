"""Who sees an application and who acts on it; who writes, manages and sees a program.
Pure: a principal and the facts of the object."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pfdo_kit.auth import Principal, is_district_staff
from services.catalog.domain.statuses import PROVIDER_BARRED, is_listed

if TYPE_CHECKING:
    from services.catalog.models import Application, Program, Provider

# Who takes each action on an application: the family applies, withdraws or confirms an offered
# seat; the provider decides.
ACTS_ON_APPLICATION = {"apply": "parent", "cancel": "parent", "confirm": "parent",
                       "accept": "provider", "reject": "provider"}


def sees_application(principal: Principal, app: Application) -> bool:
    return ((principal.role == "parent" and principal.subject == app.owner)
            or (principal.role == "provider" and principal.provider_id == app.provider_id)
            or is_district_staff(principal, app.municipality))


def applications_scope(principal: Principal) -> dict[str, object]:
    """The same rule as a filter for listings: column → the value it must hold (none: all)."""
    return {"parent": {"owner": principal.subject}, "provider": {"provider_id": principal.provider_id},
            "operator": {"municipality": principal.municipality}}.get(principal.role, {})


def may_act(principal: Principal, action: str) -> bool:
    return principal.role == ACTS_ON_APPLICATION[action]


def may_write_programs(principal: Principal, provider: Provider | None) -> bool:
    """A provider's staff, unless the registry rejected or excluded the provider."""
    return principal.role == "provider" and provider is not None and provider.status not in PROVIDER_BARRED


def owns_program(principal: Principal | None, program: Program) -> bool:
    return principal is not None and principal.role == "provider" and principal.provider_id == program.provider_id


def manages_program(principal: Principal | None, program: Program) -> bool:
    """Certification is the district's: an admin or the program's municipality's operator."""
    return is_district_staff(principal, program.municipality)


def sees_program(principal: Principal | None, program: Program, provider: Provider) -> bool:
    return (is_listed(program.status, provider.status) or owns_program(principal, program)
            or manages_program(principal, program))
