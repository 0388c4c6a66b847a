"""Request and response bodies of the registry API."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pfdo_kit.pagination import Page
from services.registry.domain.changes import ChangeAction
from services.registry.domain.provider_rules import ProviderKind
from services.registry.domain.statuses import ProviderStatus

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
Digits = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d+$", max_length=20)]

KIND_DESCRIPTION = ("Организационная форма: municipal — муниципальная организация, state — государственная, "
                    "private — частная организация, individual_entrepreneur — индивидуальный предприниматель (ИП)")
STATUS_DESCRIPTION = ("Статус в реестре: submitted — заявка на рассмотрении, approved — допущен, rejected — заявка "
                      "отклонена, suspended — приостановлен, excluded — исключён (окончательно)")


class VenueIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text = Field(description="Название площадки, как его видят семьи", examples=["Главный корпус"])
    address: Text = Field(description="Адрес, где проходят занятия",
                          examples=["361401, КБР, г. Чегем, ул. Баляева, 1"])


class VenueOut(BaseModel):
    """Площадка поставщика: где проходят занятия."""

    id: uuid.UUID
    title: str
    address: str


class ProviderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: ProviderKind = Field(description=KIND_DESCRIPTION, examples=["municipal"])
    full_name: Text = Field(
        description="Полное наименование по уставу (для ИП — «Индивидуальный предприниматель» и ФИО)",
        examples=["Муниципальное казённое учреждение дополнительного образования «Дом детского творчества»"])
    short_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)] = Field(
        description="Краткое наименование: так поставщика видят в каталоге", examples=["МКУ ДО «ДДТ» г. Чегем"])
    inn: Digits = Field(description="ИНН: 10 цифр у организации, 12 у ИП; контрольные цифры проверяются",
                        examples=["0706001239"])
    ogrn: Digits = Field(description="ОГРН (13 цифр) организации или ОГРНИП (15 цифр) ИП; контрольная цифра "
                                     "проверяется", examples=["1020700528419"])
    kpp: Annotated[str, StringConstraints(strip_whitespace=True, max_length=9)] | None = Field(
        None, description="КПП (9 знаков): обязателен для организации, у ИП его нет", examples=["070601001"])
    municipality: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="Код муниципалитета поставщика (список — GET /api/v1/municipalities): его оператор "
                    "рассматривает заявку и ведёт поставщика", examples=["chegem"])
    legal_address: Text = Field(description="Юридический адрес", examples=["361401, КБР, г. Чегем, ул. Баляева, 1"])
    email: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                            max_length=254)] = Field(examples=["ddt-chegem@mail.ru"])
    phone: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[\d\s()\-]{10,20}$")] = Field(
        examples=["+7 (86630) 4-11-11"])
    teaches_alone: bool = Field(False, description="ИП, который ведёт занятия сам: лицензия не нужна",
                                examples=[False])
    licence_number: Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)] | None = Field(
        None, description="Номер лицензии на образовательную деятельность; обязателен для организации и для ИП "
                          "с наёмными педагогами", examples=["Л035-01234-07/00123456"])
    licence_date: date | None = Field(None, description="Дата лицензии, не позже сегодняшнего дня",
                                      examples=["2020-09-01"])
    bank_bik: Digits = Field(description="БИК банка: 9 цифр, начинается с 01, 02 или 04", examples=["040702615"])
    bank_account: Digits = Field(description="Расчётный счёт: 20 цифр, контрольный ключ сверяется с БИК",
                                 examples=["40703810460320001234"])
    venues: list[VenueIn] = Field(default_factory=list, max_length=100, description="Площадки, где идут занятия",
                                  examples=[[{"title": "Главный корпус",
                                              "address": "361401, КБР, г. Чегем, ул. Баляева, 1"}]])


class ProviderDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = Field(
        None, description="Причина решения: обязательна, чтобы отклонить, приостановить или исключить; поставщик "
                          "и история её видят", examples=["Истёк срок действия лицензии на образовательную деятельность"])


# Ten trillion roubles: far above any municipality's yearly budget, well inside the database's integers.
MAX_LIMIT_KOP = 10**15


class AgreementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description="Номер соглашения", examples=["С-17/2026"])
    signed_on: date = Field(description="Дата заключения соглашения", examples=["2026-01-15"])
    limit_kop: int | None = Field(
        None, ge=0, le=MAX_LIMIT_KOP,
        description="Лимит на год в копейках: сколько сертификаты муниципалитета могут удерживать и списывать "
                    "в пользу поставщика за год; null — без лимита", examples=[150_000_000])
    active: bool = Field(True, description="Действует ли соглашение: false — прекращено, новые зачисления по нему "
                                           "не оплачиваются", examples=[True])


class AgreementOut(BaseModel):
    """Соглашение поставщика с муниципалитетом-плательщиком на год."""

    model_config = ConfigDict(from_attributes=True)

    provider_id: uuid.UUID
    municipality: str = Field(description="Код муниципалитета-плательщика (уполномоченного органа)")
    year: int = Field(description="Год, на который заключено соглашение (год средств договора)")
    number: str
    signed_on: date
    limit_kop: int | None = Field(description="Лимит на год в копейках; null — без лимита")
    active: bool
    created_at: datetime
    updated_at: datetime


class AgreementPage(Page[AgreementOut]):
    """Страница соглашений поставщика: новые годы сначала, внутри года — по коду муниципалитета."""


class ProviderPublic(BaseModel):
    """Публичная карточка поставщика: её видит любой, но только у допущенного (approved) поставщика."""

    model_config = ConfigDict(from_attributes=True, json_schema_serialization_defaults_required=True)

    view: Literal["public"] = Field("public", description="Какая это карточка: public — публичная")
    id: uuid.UUID
    status: ProviderStatus = Field(description=STATUS_DESCRIPTION)
    kind: ProviderKind = Field(description=KIND_DESCRIPTION)
    full_name: str
    short_name: str
    inn: str
    ogrn: str
    municipality: str = Field(description="Код муниципалитета")
    legal_address: str
    licence_number: str | None
    licence_date: date | None
    venues: list[VenueOut] = []


class ProviderFull(ProviderPublic):
    """Полная карточка поставщика: публичная плюс контакты и банковские реквизиты. Её видят сотрудники самого
    поставщика (и подавший заявку), операторы его муниципалитета, региональные операторы и администраторы.
    Соглашения с муниципалитетами-плательщиками — GET /api/v1/providers/{provider_id}/agreements."""

    view: Literal["full"] = Field("full", description="Какая это карточка: full — полная")  # type: ignore[assignment]
    kpp: str | None
    email: str
    phone: str
    teaches_alone: bool
    bank_bik: str
    bank_account: str
    submitted_by: str = Field(description="Кто подал заявку (идентификатор учётной записи)")
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Растёт с каждым изменением поставщика")


# Which card it is, by `view`: a generated client gets the right model without guessing.
ProviderCard = Annotated[ProviderFull | ProviderPublic, Field(discriminator="view")]


class ProviderPage(Page[ProviderCard]):
    """Страница реестра: каждый поставщик — полной или публичной карточкой (поле `view`)."""


class AgreementState(BaseModel):
    """Договор об оплате до регионов: номер и дата (null — договора не было)."""

    number: str | None
    date: date | None


class AgreementTerms(BaseModel):
    """Условия соглашения."""

    number: str
    signed_on: date
    limit_kop: int | None
    active: bool


class AgreementChange(BaseModel):
    """Соглашение с муниципалитетом на год: условия до изменения (null — соглашения не было) и после."""

    municipality: str
    year: int
    before: AgreementTerms | None
    after: AgreementTerms


class VenueChange(BaseModel):
    """Добавленная площадка."""

    title: str
    address: str


class ChangeDetails(BaseModel):
    """Что изменилось; какие поля заполнены, зависит от действия."""

    inn: str | None = Field(None, description="submit: ИНН поданной заявки")
    before: AgreementState | None = Field(None, description="payment_agreement: договор об оплате до изменения")
    after: AgreementState | None = Field(None, description="payment_agreement: договор об оплате после изменения")
    venue: VenueChange | None = Field(None, description="add_venue: добавленная площадка")
    agreement: AgreementChange | None = Field(None, description="agreement: соглашение до и после изменения")


class ChangeOut(BaseModel):
    """Одно изменение поставщика: кто, когда, что и почему."""

    model_config = ConfigDict(from_attributes=True)

    at: datetime
    actor: str = Field(description="Кто изменил: «роль:идентификатор учётной записи»", examples=["operator:op-1"])
    action: ChangeAction = Field(description="Что сделано: submit — заявка подана; approve, reject, suspend, "
                                             "reinstate, exclude — решения по статусу; agreement — соглашение с "
                                             "муниципалитетом-плательщиком на год заключено или изменено; "
                                             "payment_agreement — договор об оплате задан или заменён (до "
                                             "регионов, только в старой истории); add_venue — добавлена площадка")
    from_status: ProviderStatus | None = Field(description="Статус до изменения (у подачи заявки — null)")
    to_status: ProviderStatus | None = Field(description="Статус после изменения")
    reason: str | None = Field(description="Причина решения, если её указали")
    changes: ChangeDetails


class ChangePage(Page[ChangeOut]):
    """Страница истории поставщика, от старых изменений к новым."""
