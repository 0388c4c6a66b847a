"""Events published by services/registry: the provider's life in the registry.

Every event carries the provider's snapshot so catalog and billing can keep their own
copy of what they need (status, payment agreement) without calling the registry.
"""
from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

from pfdo_events.envelope import Event

ProviderStatus = Literal["submitted", "approved", "rejected", "suspended", "excluded"]
ProviderKind = Literal["municipal", "state", "private", "individual_entrepreneur"]


class ProviderRequisites(BaseModel):
    """The provider's legal details as a contract names the parties (billing prints them on the
    offer): the registry's record, checked there (ИНН, ОГРН/ОГРНИП, КПП, БИК and account)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    full_name: str
    kind: ProviderKind
    inn: str
    ogrn: str  # ОГРН (13 digits) or, for an individual entrepreneur, ОГРНИП (15)
    kpp: str | None = None
    licence_number: str | None = None
    licence_date: date | None = None
    legal_address: str
    bank_bik: str
    bank_account: str


class ProviderSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    provider_id: uuid.UUID
    status: ProviderStatus
    kind: ProviderKind
    short_name: str
    inn: str
    municipality: str
    payment_agreement_number: str | None = None
    payment_agreement_date: date | None = None
    submitted_by: str | None = None  # the staff account that applied: bound to the provider on approval
    requisites: ProviderRequisites | None = None  # None in events from before contract documents

    def copy_values(self) -> dict:
        """What a consumer's copy of the provider holds."""
        return dict(status=self.status, short_name=self.short_name, municipality=self.municipality,
                    has_payment_agreement=self.payment_agreement_number is not None)


class _ProviderEvent(Event):
    provider: ProviderSnapshot
    actor: str
    reason: str | None = None


class ProviderSubmitted(_ProviderEvent):
    """A provider filed its application to the registry (awaits the operator's check)."""

    event_type = "registry.provider.submitted"
    event_version = 1


class ProviderApproved(_ProviderEvent):
    """The operator admitted the provider: it may publish programs and take applications."""

    event_type = "registry.provider.approved"
    event_version = 1


class ProviderRejected(_ProviderEvent):
    """The operator refused the provider's application (the reason is in the snapshot's history)."""

    event_type = "registry.provider.rejected"
    event_version = 1


class ProviderSuspended(_ProviderEvent):
    """The provider is suspended: its programs take no new applications."""

    event_type = "registry.provider.suspended"
    event_version = 1


class ProviderReinstated(_ProviderEvent):
    """A suspended provider is active again."""

    event_type = "registry.provider.reinstated"
    event_version = 1


class ProviderExcluded(_ProviderEvent):
    """The provider is excluded from the registry for good."""

    event_type = "registry.provider.excluded"
    event_version = 1


class ProviderUpdated(_ProviderEvent):
    """Details changed without a status change (payment agreement, bank details, venues)."""

    event_type = "registry.provider.updated"
    event_version = 1


STATUS_EVENTS: dict[str, type[_ProviderEvent]] = {
    "submitted": ProviderSubmitted,
    "approved": ProviderApproved,
    "rejected": ProviderRejected,
    "suspended": ProviderSuspended,
    "reinstated": ProviderReinstated,
    "excluded": ProviderExcluded,
}

# Every provider event: a consumer keeping its own copy of providers listens to all of them.
PROVIDER_EVENTS: tuple[type[_ProviderEvent], ...] = (*STATUS_EVENTS.values(), ProviderUpdated)


class AgreementChanged(Event):
    """A provider's payment agreement (соглашение) with a payer municipality for a year was made,
    changed or ended: the certificates of that municipality pay that provider only while one is
    active, and only up to its limit for the year (None: no limit set)."""

    event_type = "registry.agreement.changed"
    event_version = 1

    provider_id: uuid.UUID
    municipality: str
    year: int
    number: str
    signed_on: date
    limit_kop: int | None
    active: bool
