"""Request and response bodies of the catalog API: programs and search, applications, reviews,
the cost of a group."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pfdo_events.catalog import FreeRegister, Lesson

Direction = Literal["technical", "natural_science", "physical_sports", "artistic", "tourism_local_history",
                    "social_humanitarian"]
Level = Literal["starting", "basic", "advanced"]
Form = Literal["in_person", "distance", "network"]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]


class ModuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title
    hours: int = Field(gt=0, le=2000)
    price_kop: int = Field(ge=0, le=10**9)


class ProgramIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=10_000)]
    direction: Direction
    level: Level
    form: Form
    min_age: int = Field(ge=3, le=18)
    max_age: int = Field(ge=3, le=18)
    ovz_adapted: bool = False
    free_registers: list[FreeRegister] = Field(default_factory=list, max_length=3,
                                               description="реестры бесплатных (бюджетных) программ")
    enrollment_limit: int | None = Field(None, gt=0, le=100_000)
    modules: list[ModuleIn] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def ages_in_order(self) -> "ProgramIn":
        if self.min_age > self.max_age:
            raise ValueError("Минимальный возраст больше максимального")
        return self


class ModuleOut(ModuleIn):
    id: uuid.UUID


class GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    module_id: uuid.UUID
    venue: Title
    teacher: Title
    schedule: list[Lesson] = Field(min_length=1, max_length=14)
    starts_on: date
    ends_on: date
    capacity: int = Field(gt=0, le=500)
    enrollment_open: bool = True

    @model_validator(mode="after")
    def dates_in_order(self) -> "GroupIn":
        if self.ends_on < self.starts_on:
            raise ValueError("Группа заканчивает занятия раньше, чем начинает")
        return self


class GroupOut(BaseModel):
    id: uuid.UUID
    module_id: uuid.UUID
    venue: str
    teacher: str
    schedule: list[Lesson]
    starts_on: date
    ends_on: date
    capacity: int
    free_seats: int
    enrollment_open: bool


class CertifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    score: int = Field(ge=0, le=100)
    valid_until: date


class ProgramOut(BaseModel):
    id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str
    status: str
    title: str
    description: str
    direction: Direction
    level: Level
    form: Form
    min_age: int
    max_age: int
    ovz_adapted: bool
    registers: list[str]
    certified: bool
    certification_score: int | None
    certified_until: date | None
    municipality: str
    rating: float | None
    reviews: int
    modules: list[ModuleOut] = []
    groups: list[GroupOut] = []


class Highlight(BaseModel):
    """Where the words matched, as HTML-escaped text with each matching word in <mark>…</mark>."""

    title: str
    snippet: str | None = Field(description="часть описания вокруг первого совпадения; null, если в описании его нет")


class ProgramCard(BaseModel):
    """A search hit."""

    id: uuid.UUID
    title: str
    provider_name: str
    direction: Direction
    level: Level
    min_age: int
    max_age: int
    certified: bool
    municipality: str
    rating: float | None
    free_seats: int
    nearest_start: date | None
    full_match: bool = Field(True, description="программа подходит под все слова запроса (иначе — под часть)")
    highlight: Highlight | None = Field(None, description="только при поиске по словам")


class FacetCount(BaseModel):
    value: str
    count: int


class SearchFacets(BaseModel):
    """The filter panel: how many programs each choice would give, under every other filter."""

    direction: list[FacetCount]
    level: list[FacetCount]
    municipality: list[FacetCount]
    age: list[FacetCount] = Field(description="возрастные группы: 3-6, 7-10, 11-14, 15-18")
    certificate: int = Field(description="оплачиваемых сертификатом")
    free_seats: int = Field(description="со свободными местами")


class SearchPage(BaseModel):
    items: list[ProgramCard]
    total: int
    page: int
    page_size: int
    full_matches: int = Field(description="сколько из total подходят под все слова запроса")
    facets: SearchFacets | None = Field(None, description="при facets=true")


class Suggestions(BaseModel):
    items: list[str] = Field(description="до 10 названий программ для набранного")


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group_id: uuid.UUID
    certificate_id: uuid.UUID


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


class ApplicationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    status: str
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    group_id: uuid.UUID
    program_id: uuid.UUID
    provider_id: uuid.UUID
    reason: str | None
    decide_by: date
    created_at: datetime


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    child_id: uuid.UUID
    rating: int = Field(ge=1, le=5)
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=3000)]


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    rating: int
    text: str
    created_at: datetime


class MonthCost(BaseModel):
    month: str
    certificate_kop: int
    copay_kop: int


class CostOut(BaseModel):
    payment: str
    reasons: list[str]
    reasons_ru: list[str]
    free_left: int | None = None
    monthly: list[MonthCost]
    total_kop: int
