"""Every request and response body of the certificates API."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from pfdo_kit.money import MAX_KOP
from services.certificates.domain.periods import FundingReason
from services.certificates.domain.snils import normalise, snils_ok
from services.certificates.domain.statuses import (
    CertificateKind,
    CertificateStatus,
    PeriodStatus,
    RunKind,
    RunStatus,
)


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
    kind: CertificateKind
    municipality: str
    balance: BalanceOut
    created_at: datetime
    expected_credit_kop: int | None = Field(None, description=(
        "Для активного сертификата учёта (kind=accounting, баланс 0 ₽): сколько копеек ему зачислят при первой "
        "записи на сертифицированную программу, если записаться сегодня — номинал возрастной группы и категории "
        "ребёнка на оставшиеся месяцы периода финансирования. 0 — ничего не зачислят (причина в funding_reason); "
        "null — сертификат не сертификат учёта или не активен."), examples=[2_500_000])
    funding_reason: FundingReason | None = Field(None, description=(
        "Почему expected_credit_kop такой: on_first_enrollment — зачислят при первой записи; no_open_period — "
        "период финансирования текущего года не открыт; quota_exhausted — лимит сертификатов финансирования "
        "исчерпан; budget_exhausted — бюджет периода исчерпан; nothing_to_credit — номинал для возраста и "
        "категории ребёнка не установлен или период закончился. null — как у expected_credit_kop."))
    funding_note: str | None = Field(None, description=(
        "То же по-русски, для показа семье рядом с балансом 0 ₽: что и когда получит сертификат или почему ничего."),
        examples=[("Сертификат получит 25 000,00 ₽ при первой записи на сертифицированную программу, пока не "
                   "исчерпан лимит сертификатов финансирования")])


class CertificateCard(BaseModel):
    """What a provider learns from a number the family gave them: no name, no money."""

    id: uuid.UUID
    number: str
    status: str
    kind: str
    municipality: str


class SuspendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=500, description="причина: её увидит семья в уведомлении")


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Literal["turned_18", "moved", "duplicate"]


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


class NominalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_age: int = Field(ge=0, le=18)
    max_age: int = Field(ge=0, le=18)
    category: Literal["general", "ovz"] = "general"
    amount_kop: int = Field(gt=0, le=MAX_KOP)


class FreeLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    significant: int = Field(ge=0, description="значимые программы")
    preprofessional: int = Field(ge=0, description="предпрофессиональные")
    other: int = Field(ge=0, description="иные")


class PeriodIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts_on: date
    ends_on: date
    nominals: list[NominalIn] = Field(min_length=1, max_length=50)
    funded_quota: int = Field(ge=0, le=10_000_000, description="сертификатов ПФ на период")
    free_limits: FreeLimits
    budget_cap_kop: int = Field(ge=0, le=MAX_KOP)

    @model_validator(mode="after")
    def dates_in_order(self) -> "PeriodIn":
        if self.ends_on < self.starts_on:
            raise ValueError("Период заканчивается раньше, чем начинается")
        return self


class PeriodOut(PeriodIn):
    year: int
    status: PeriodStatus


class RunResult(BaseModel):
    """What a finished run did; each kind fills its own figures."""

    credited_certificates: int | None = Field(None, description="period_open: certificates credited")
    credited_kop: int | None = Field(None, description="period_open: kopecks credited")
    stopped_at_budget: bool | None = Field(None, description="period_open: the budget cap stopped the credits")
    expired_certificates: int | None = Field(None, description="period_close: certificates whose free money expired")
    expired_kop: int | None = Field(None, description="period_close, close_adults: kopecks expired")
    closed: int | None = Field(None, description="close_adults: certificates closed")


class RunOut(BaseModel):
    """A long run and its progress; `href` is where to follow it."""

    id: uuid.UUID
    kind: RunKind
    status: RunStatus
    href: str
    period_year: int | None
    municipality: str | None
    requested_by: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    processed: int = Field(description="certificates worked so far")
    total: int | None = Field(description="certificates to work, counted when the run started")
    result: RunResult = Field(description="the figures so far; final once the run is done")
    error: str | None


class ContractDebit(BaseModel):
    contract_id: uuid.UUID
    debited_kop: int
    released_kop: int


class LedgerMonthOut(BaseModel):
    month: str
    moved_kop: dict[str, int]  # entries made in the month (district time), by kind
    debited_for_month_kop: int  # debits of the month's charges, whenever they were posted
    contracts: list[ContractDebit]  # per contract: debits and final releases of the month's charges
