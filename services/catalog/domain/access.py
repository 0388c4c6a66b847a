"""Who sees an application and who acts on it; who writes, certifies and sees a program.
Pure: a principal and the facts of the object.

An application belongs to its family, to the provider it is made to, and — for reading — to
the staff of its payer (the certificate's municipality: its operator) and of the region. A
program's certification is the region's (a regional operator, an admin); the staff of the
program's municipality and of the region read its drafts."""
from __future__ import annotations

from typing import TYPE_CHECKING

from pfdo_kit.auth import Principal, is_region_staff, sees_municipality
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
            or sees_municipality(principal, app.payer))


def applications_scope(principal: Principal) -> dict[str, object]:
    """The same rule as a filter for listings: column → the value it must hold (none: all, for the
    region's staff)."""
    return {"parent": {"owner": principal.subject}, "provider": {"provider_id": principal.provider_id},
            "operator": {"payer": principal.municipality}}.get(principal.role, {})


def may_act(principal: Principal, action: str) -> bool:
    return principal.role == ACTS_ON_APPLICATION[action]


def may_write_programs(principal: Principal, provider: Provider | None) -> bool:
    """A provider's staff, unless the registry rejected or excluded the provider."""
    return principal.role == "provider" and provider is not None and provider.status not in PROVIDER_BARRED


def owns_program(principal: Principal | None, program: Program) -> bool:
    return principal is not None and principal.role == "provider" and principal.provider_id == program.provider_id


def edits_program(principal: Principal | None, program: Program, provider: Provider) -> bool:
    """Its provider's staff, unless the registry rejected or excluded the provider."""
    return owns_program(principal, program) and may_write_programs(principal, provider)


def certifies_programs(principal: Principal | None) -> bool:
    """Certification is the region's: a regional operator or an admin."""
    return is_region_staff(principal)


def sees_program(principal: Principal | None, program: Program, provider: Provider) -> bool:
    """A listed program: anyone. Else its provider, the staff of its municipality and the region's."""
    return (is_listed(program.status, provider.status) or owns_program(principal, program)
            or sees_municipality(principal, program.municipality))
