"""Request and response bodies of the registry API."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

ProviderKind = Literal["municipal", "state", "private", "individual_entrepreneur"]
ProviderStatus = Literal["submitted", "approved", "rejected", "suspended", "excluded"]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d+$", max_length=20)]


class VenueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text
    address: Text


class VenueOut(VenueIn):
    id: uuid.UUID


class ProviderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ProviderKind
    full_name: Text
    short_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    inn: Digits
    ogrn: Digits = Field(description="ОГРН (13 цифр) организации или ОГРНИП (15 цифр) ИП")
    kpp: Annotated[str, StringConstraints(strip_whitespace=True, max_length=9)] | None = None
    municipality: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    legal_address: Text
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
    phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[\d\s()\-]{10,20}$")]
    teaches_alone: bool = Field(False, description="ИП, который ведёт занятия сам: лицензия не нужна")
    licence_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    licence_date: date | None = None
    bank_bik: Digits
    bank_account: Digits
    payment_agreement_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = None
    payment_agreement_date: date | None = None
    venues: list[VenueIn] = Field(default_factory=list, max_length=100)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class PaymentAgreementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    date: date


class ProviderPublic(BaseModel):
    """What anyone may see of a provider in the registry."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    status: ProviderStatus
    kind: ProviderKind
    full_name: str
    short_name: str
    inn: str
    ogrn: str
    municipality: str
    legal_address: str
    licence_number: str | None
    licence_date: date | None
    venues: list[VenueOut] = []


class ProviderFull(ProviderPublic):
    """What the provider itself and the district's operators see."""

    kpp: str | None
    email: str
    phone: str
    teaches_alone: bool
    bank_bik: str
    bank_account: str
    payment_agreement_number: str | None
    payment_agreement_date: date | None
    submitted_by: str
    created_at: datetime
    updated_at: datetime
    version: int


class ProviderPage(BaseModel):
    items: list[ProviderPublic | ProviderFull]
    total: int
    page: int
    page_size: int


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    changes: dict
