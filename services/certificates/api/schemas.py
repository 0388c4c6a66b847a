"""Request and response bodies of the certificates API."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from services.certificates.domain.snils import normalise, snils_ok

CertificateStatus = Literal["pending_verification", "active", "suspended", "closed"]


class ChildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
    birth_date: date
    snils: Annotated[str, StringConstraints(strip_whitespace=True, max_length=14)]
    municipality: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
    ovz: bool = False

    @field_validator("snils")
    @classmethod
    def snils_checksum(cls, value: str) -> str:
        if not snils_ok(value):
            raise ValueError("СНИЛС — 11 цифр; контрольное число не сходится")
        return normalise(value)


class ChildOut(BaseModel):
    id: uuid.UUID
    full_name: str
    birth_date: date
    snils: str  # masked except for the district's staff
    municipality: str
    ovz: bool
    certificate_id: uuid.UUID | None = None


class BalanceOut(BaseModel):
    credited_kop: int
    expired_kop: int
    reserved_kop: int
    debited_kop: int
    reversed_kop: int
    available_kop: int


class CertificateOut(BaseModel):
    id: uuid.UUID
    number: str
    child_id: uuid.UUID | None
    status: CertificateStatus
    kind: Literal["accounting", "funded"]
    municipality: str
    balance: BalanceOut
    created_at: datetime


class LedgerEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: str
    amount_kop: int
    cause: str
    contract_id: uuid.UUID | None
    at: datetime


class Page(BaseModel):
    items: list
    total: int
    page: int
    page_size: int
