"""Request and response bodies of the catalog API: programs and search, groups, applications,
reviews, the cost of a group. Texts people read (descriptions, examples) are Russian."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pfdo_events.catalog import FreeRegister, Lesson, Register
from pfdo_kit.pagination import Page
from services.catalog.domain.payment_check import Payment, Reason
from services.catalog.domain.statuses import ApplicationStatus, ProgramStatus
from services.catalog.domain.vocabulary import Direction, Form, Level

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
Schedule = Annotated[list[Lesson], Field(
    description="Расписание на неделю: день недели (0 — понедельник … 6 — воскресенье), начало ЧЧ:ММ "
                "и длительность занятия в минутах")]
_LESSONS_EXAMPLE = [{"weekday": 1, "starts_at": "15:00", "minutes": 45},
                    {"weekday": 3, "starts_at": "15:00", "minutes": 45}]


class ModuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title = Field(examples=["Первый год обучения"])
    hours: int = Field(gt=0, le=2000, description="Часов в модуле", examples=[72])
    price_kop: int = Field(ge=0, le=10**9, description="Цена модуля за весь срок, в копейках", examples=[18_000_00])


class ProgramIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Title = Field(examples=["Робототехника для начинающих"])
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=10_000)] = Field(
        examples=["Собираем и программируем роботов на конструкторах, готовимся к городским соревнованиям."])
    direction: Direction = Field(description="Направленность", examples=["technical"])
    level: Level = Field(description="Уровень", examples=["starting"])
    form: Form = Field(description="Форма обучения", examples=["in_person"])
    min_age: int = Field(ge=3, le=18, examples=[7])
    max_age: int = Field(ge=3, le=18, examples=[12])
    ovz_adapted: bool = Field(False, description="Адаптирована для детей с ОВЗ", examples=[False])
    free_registers: list[FreeRegister] = Field(default_factory=list, max_length=3,
                                               description="Реестры бесплатных (бюджетных) программ", examples=[[]])
    enrollment_limit: int | None = Field(None, gt=0, le=100_000,
                                         description="Сколько детей программа принимает во всех группах вместе",
                                         examples=[30])
    modules: list[ModuleIn] = Field(min_length=1, max_length=20, examples=[[
        {"title": "Первый год обучения", "hours": 72, "price_kop": 18_000_00}]])

    @model_validator(mode="after")
    def ages_in_order(self) -> "ProgramIn":
        if self.min_age > self.max_age:
            raise ValueError("Минимальный возраст больше максимального")
        return self


class ModuleEdit(BaseModel):
    """A module in a draft's edit: with `id`, that module is rewritten; without, a new one is added."""

    model_config = ConfigDict(extra="forbid")
    id: uuid.UUID | None = Field(None, description="Модуль программы, который меняется; без id — новый модуль",
                                 examples=["0b8f6c2e-5d1a-4e37-9a51-3c2f0d7e8a14"])
    title: Title = Field(examples=["Первый год обучения"])
    hours: int = Field(gt=0, le=2000, description="Часов в модуле", examples=[72])
    price_kop: int = Field(ge=0, le=10**9, description="Цена модуля за весь срок, в копейках", examples=[18_000_00])


NULLABLE_IN_PATCH = frozenset({"enrollment_limit"})  # an explicit null clears it


class ProgramPatch(BaseModel):
    """A program's edit by its provider: only the fields given change."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"title": "Робототехника для начинающих", "max_age": 13, "ovz_adapted": True}]})
    title: Title | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=10_000)] | None = None
    direction: Direction | None = Field(None, description="Направленность")
    level: Level | None = Field(None, description="Уровень")
    form: Form | None = Field(None, description="Форма обучения")
    min_age: int | None = Field(None, ge=3, le=18)
    max_age: int | None = Field(None, ge=3, le=18)
    ovz_adapted: bool | None = Field(None, description="Адаптирована для детей с ОВЗ")
    enrollment_limit: int | None = Field(None, gt=0, le=100_000, description=(
        "Сколько детей программа принимает во всех группах вместе; явный null снимает предел, без поля — не "
        "меняется"))
    modules: list[ModuleEdit] | None = Field(None, min_length=1, max_length=20, description=(
        "Только у черновика: модули с id меняются, без id добавляются, не названные остаются"))

    def changes(self) -> dict:
        """The descriptive fields given; null changes nothing, except an explicit `enrollment_limit: null`,
        which lifts the limit (a field left out is not in `model_fields_set`)."""
        return {k: v for k, v in self.model_dump(exclude={"modules"}, exclude_unset=True).items()
                if v is not None or k in NULLABLE_IN_PATCH}


class ModuleOut(BaseModel):
    id: uuid.UUID
    title: str
    hours: int
    price_kop: int = Field(description="Цена модуля за весь срок, в копейках")


class GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    module_id: uuid.UUID = Field(description="Модуль программы, по которому учится группа",
                                 examples=["0b8f6c2e-5d1a-4e37-9a51-3c2f0d7e8a14"])
    venue: Title = Field(description="Где проходят занятия", examples=["г. Чегем, ул. Баксанская, 12, каб. 12"])
    teacher: Title = Field(examples=["Тхагапсоева Марина Анатольевна"])
    schedule: list[Lesson] = Field(min_length=1, max_length=14, description="Расписание на неделю",
                                   examples=[_LESSONS_EXAMPLE])
    starts_on: date = Field(examples=["2026-09-01"])
    ends_on: date = Field(examples=["2027-05-31"])
    capacity: int = Field(gt=0, le=500, description="Мест в группе", examples=[12])
    enrollment_open: bool = Field(True, description="Идёт ли набор", examples=[True])

    @model_validator(mode="after")
    def dates_in_order(self) -> "GroupIn":
        if self.ends_on < self.starts_on:
            raise ValueError("Группа заканчивает занятия раньше, чем начинает")
        return self


class GroupOut(BaseModel):
    id: uuid.UUID
    program_id: uuid.UUID
    module_id: uuid.UUID
    name: str = Field(description="Как показывать группу: модуль и педагог")
    venue: str
    teacher: str
    schedule: Schedule
    starts_on: date
    ends_on: date
    capacity: int
    free_seats: int = Field(description="Свободных мест сейчас")
    enrollment_open: bool


class GroupCard(GroupOut):
    """One group with its program and provider: what the group's page shows."""

    program_title: str
    program_status: ProgramStatus
    provider_id: uuid.UUID
    provider_name: str


class GroupCardPage(Page[GroupCard]):
    """A page of the calling provider's groups, by program title and start."""


class CertifyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    score: int = Field(ge=0, le=100, description="Балл сертификации", examples=[87])
    valid_until: date = Field(description="До какого дня программа в реестре сертифицированных",
                              examples=["2027-08-31"])


class ProgramOut(BaseModel):
    id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str
    status: ProgramStatus
    title: str
    description: str
    direction: Direction
    level: Level
    form: Form
    min_age: int
    max_age: int
    ovz_adapted: bool
    registers: list[Register] = Field(description="Реестры программы: certified — оплачивается сертификатом; "
                                                  "significant, preprofessional, other — бесплатные (бюджетные)")
    certified: bool = Field(description="Сертифицирована сегодня: в реестре certified и срок не истёк")
    certification_score: int | None
    certified_until: date | None
    enrollment_limit: int | None = Field(description="Сколько детей программа принимает во всех группах вместе; "
                                                     "null — без предела")
    municipality: str
    rating: float | None = Field(description="Средняя оценка 1–5; null, пока отзывов нет")
    reviews: int = Field(description="Сколько отзывов")
    modules: list[ModuleOut] = []
    groups: list[GroupOut] = []


class OwnProgram(BaseModel):
    """A provider's program in its own list: drafts and unpublished ones too."""

    id: uuid.UUID
    status: ProgramStatus
    title: str
    direction: Direction
    level: Level
    form: Form
    min_age: int
    max_age: int
    certified: bool = Field(description="Сертифицирована сегодня")
    certified_until: date | None
    municipality: str
    groups: int = Field(description="Сколько у программы групп")
    rating: float | None
    reviews: int
    created_at: datetime


class OwnProgramPage(Page[OwnProgram]):
    """A page of the calling provider's programs, newest first."""


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
    price_from_kop: int | None = Field(None, description="цена самого недорогого модуля за весь срок, коп.; "
                                                         "null — модулей нет")
    weekdays: list[int] = Field(default_factory=list, description="дни недели занятий групп, которые ещё не "
                                                                  "закончились: 0 — понедельник … 6 — воскресенье")
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


class SearchPage(Page[ProgramCard]):
    """A page of search hits, with how many match every word and, when asked, the filter panel."""

    full_matches: int = Field(description="сколько из total подходят под все слова запроса")
    facets: SearchFacets | None = Field(None, description="при facets=true")


class Suggestions(BaseModel):
    items: list[str] = Field(description="до 10 названий программ для набранного")


class ApplicationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group_id: uuid.UUID = Field(description="Группа, в которую подаётся заявка",
                                examples=["6f1d2a9c-8b7e-4c3d-a5f0-2e9b1c4d7a38"])
    certificate_id: uuid.UUID = Field(description="Сертификат ребёнка",
                                      examples=["3c9e7b1a-2d4f-4a6b-8e0c-5f1a9d3b7c26"])


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)] = Field(
        description="Причина отказа: её увидит семья", examples=["Группа набрана по результатам вступительного занятия"])


class ApplicationOut(BaseModel):
    """An application with what its family's cabinet shows of it: the program, the group and
    its weekly schedule, the provider."""

    id: uuid.UUID
    status: ApplicationStatus = Field(description=(
        "submitted — подана, ждёт решения поставщика; waitlisted — в очереди на место; offered — место "
        "предложено из очереди, подтвердите до offered_until; accepted — принята, место за ребёнком, деньги "
        "сертификата резервируются; awaiting_signature — договор-оферта ждёт подписи родителя; enrolled — "
        "договор подписан, ребёнок зачислен; rejected, cancelled, expired — закрыта (причина в reason)"))
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    group_id: uuid.UUID
    program_id: uuid.UUID
    provider_id: uuid.UUID
    program_title: str
    group_name: str = Field(description="Как показывать группу: модуль и педагог")
    venue: str = Field(description="Где проходят занятия группы")
    schedule: Schedule
    provider_name: str
    payer: str = Field(description="Муниципалитет-плательщик: муниципалитет сертификата ребёнка; его оператор видит "
                                   "заявку")
    reason: str | None = Field(description="Почему заявка отклонена, отменена или истекла")
    decide_by: date = Field(description="До какого дня поставщик должен рассмотреть заявку")
    offered_until: datetime | None = Field(description="До какого момента можно подтвердить предложенное место")
    created_at: datetime


ApplicationSort = Literal["newest", "deadline"]  # GET /applications?sort=


class ApplicationPage(Page[ApplicationOut]):
    """A page of applications, newest first."""


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    child_id: uuid.UUID = Field(description="Ребёнок, который учился по программе",
                                examples=["9a4c1e7b-3f2d-4b8a-9c6e-1d5f7a2b3c48"])
    rating: int = Field(ge=1, le=5, description="Оценка от 1 до 5", examples=[5])
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=3000)] = Field(
        examples=["Сын ходит с удовольствием, педагог внимательный, к соревнованиям готовят серьёзно."])


class ReviewOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    rating: int
    text: str
    created_at: datetime


class ReviewPage(Page[ReviewOut]):
    """A page of a program's reviews, newest first."""


class MonthCost(BaseModel):
    month: str = Field(description="Месяц, ГГГГ-ММ")
    certificate_kop: int = Field(description="Сколько за этот месяц заплатит сертификат, в копейках")
    copay_kop: int = Field(description="Сколько за этот месяц доплатит семья, в копейках")


class CostOut(BaseModel):
    payment: Payment = Field(description="certificate — по сертификату; free — бесплатно (бюджетный реестр); "
                                         "family — платит семья; impossible — нельзя, причины в reasons")
    reasons: list[Reason] = Field(description="Коды причин и замечаний")
    reasons_ru: list[str] = Field(description="Те же причины по-русски, для показа")
    free_left: int | None = Field(None, description="Сколько бесплатных программ этого реестра осталось ребёнку")
    monthly: list[MonthCost] = Field(description="Помесячно, с начала будущего договора")
    total_kop: int = Field(description="Всего за все месяцы: сертификат и семья вместе, в копейках")
