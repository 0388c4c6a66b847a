"""Request and response bodies of the gateway's own routes (auth, password reset, accounts made
by an admin, the cabinet). The services' bodies are theirs: the proxy passes them through untouched,
and the cabinet's parts are the services' own answer models (one name each in the document)."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from gateway.domain.passwords import password_problem
from pfdo_kit.auth import Role
from pfdo_kit.municipalities import Municipality
from pfdo_kit.pagination import Page
from services.billing.api.schemas import ContractPage, DebitPage
from services.catalog.api.schemas import ApplicationPage
from services.certificates.api.schemas import CertificateOut, ChildOut

Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()\-]{10,20}$")]


def _strong(value: str) -> str:
    if (problem := password_problem(value)) is not None:
        raise ValueError(problem)
    return value


Password = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_strong)]


MUNICIPALITY_CODE = "Код муниципалитета из GET /api/v1/municipalities"


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr = Field(examples=["mama.khasanova@example.ru"])
    phone: Phone = Field(examples=["+7 928 123-45-67"])
    password: Password = Field(examples=["Горы-Чегем-2026"])
    municipality: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)] = Field(
        description=MUNICIPALITY_CODE, examples=["chegem"])
    full_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=300)] | None = Field(
        default=None, examples=["Хасанова Мадина Руслановна"])
    role: Literal["parent", "provider"] = Field(
        default="parent", description="parent — родитель; provider — сотрудник поставщика: получает права "
                                      "поставщика, когда оператор одобрит его заявку")


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr = Field(examples=["operator@chegem.example.ru"])
    password: Password = Field(examples=["Оператор-Чегем-2026"])
    role: Literal["operator", "regional_operator", "admin", "provider"] = Field(
        examples=["operator"], description="operator — оператор муниципалитета (нужен municipality); "
                                           "regional_operator — оператор региона; admin; provider — сотрудник "
                                           "поставщика (нужен provider_id)")
    municipality: str | None = Field(default=None, max_length=100, description=MUNICIPALITY_CODE,
                                     examples=["chegem"])
    provider_id: uuid.UUID | None = None
    full_name: str | None = Field(default=None, max_length=300, examples=["Кумыков Арсен Мухамедович"])

    @model_validator(mode="after")
    def _scope(self) -> StaffIn:
        if self.role == "operator" and not self.municipality:
            raise ValueError("Оператору муниципалитета нужен муниципалитет")
        if self.role in ("regional_operator", "admin") and self.municipality:
            raise ValueError("Оператор региона и администратор не привязываются к муниципалитету")
        if self.role == "provider" and not self.provider_id:
            raise ValueError("Сотруднику поставщика нужен provider_id")
        return self


class AccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    email: str
    role: Role
    municipality: str | None
    provider_id: uuid.UUID | None
    full_name: str | None


AccountStatus = Literal["active", "blocked"]


class AccountRow(BaseModel):
    """An account as the admin's list shows it."""

    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    email: str
    role: Role
    full_name: str | None
    municipality: str | None
    provider_id: uuid.UUID | None
    status: AccountStatus = Field(description="active — может входить; blocked — заблокирована администратором")
    created_at: datetime


class AccountPage(Page[AccountRow]):
    """A page of accounts, newest first."""


class DeadLetterCount(BaseModel):
    queue: str = Field(description="Очередь недоставленных сообщений (DLQ) потребителя")
    messages: int = Field(description="Сколько сообщений в ней ждёт сейчас")


class ServiceStatus(BaseModel):
    """One process of the platform as the overview shows it."""

    service: str = Field(description="registry, certificates, catalog, billing, notifications или gateway")
    ready: bool = Field(description="Ответ /health/ready за 2 с: сервис может обслуживать запросы")
    broker: Literal["ok", "down"] = Field(description="Соединение с RabbitMQ; down — и когда сервис не ответил")
    outbox_unsent: int = Field(description="Событий в outbox, ещё не отправленных в брокер (0, если не прочитано)")
    outbox_oldest_age_s: float | None = Field(description="Возраст самого старого неотправленного события, с; "
                                                          "null — таких нет или не прочитано")
    dead_letters: list[DeadLetterCount] = Field(description="Очереди недоставленных сообщений потребителей сервиса")
    error: str | None = Field(description="Что прочитать не удалось, по-русски; null — всё прочитано")


class PlatformStatus(BaseModel):
    """Every service's state, read from the services, their databases and the broker when asked."""

    checked_at: datetime
    services: list[ServiceStatus]


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grant_type: Literal["password", "refresh_token"] = "password"
    email: str | None = Field(default=None, max_length=320, examples=["mama.khasanova@example.ru"])
    password: str | None = Field(default=None, max_length=200, examples=["Горы-Чегем-2026"])
    refresh_token: str | None = Field(default=None, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str


class LogoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=200, examples=["b1f0c6d2e8a94c3f9e5d7a1b2c3d4e5f"])
    all_sessions: bool = Field(default=False, description="завершить все сеансы этой учётной записи, не только этот")


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr = Field(examples=["mama.khasanova@example.ru"])


class PasswordResetConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200, description="из ссылки в письме",
                       examples=["4c1d9a7e0b2f4e6a8c3d5f7a9b1c2d3e"])
    new_password: Password


class CabinetChild(ChildOut):
    """A child with its certificate (balance included), as the cabinet shows it."""

    certificate: CertificateOut | None = Field(default=None, description="Сертификат ребёнка, если выдан")


class CabinetChildPage(Page[CabinetChild]):
    """The parent's children."""


PartStatus = Literal["ok", "unavailable"]
PART_STATUS = "ok — часть получена; unavailable — сервис этой части сейчас недоступен (reason — почему), " \
              "остальные части приходят"


class ChildrenPart(BaseModel):
    status: PartStatus = Field(description=PART_STATUS)
    data: CabinetChildPage | None = None
    reason: str | None = None


class ApplicationsPart(BaseModel):
    status: PartStatus = Field(description=PART_STATUS)
    data: ApplicationPage | None = None
    reason: str | None = None


class ContractsPart(BaseModel):
    status: PartStatus = Field(description=PART_STATUS)
    data: ContractPage | None = None
    reason: str | None = None


class DebitsPart(BaseModel):
    status: PartStatus = Field(description=PART_STATUS)
    data: DebitPage | None = None
    reason: str | None = None


class CabinetOut(BaseModel):
    children: ChildrenPart
    applications: ApplicationsPart = Field(description="Заявки семьи, новые сверху, с названиями программы, группы, "
                                                       "поставщика и расписанием группы")
    contracts: ContractsPart
    debits: DebitsPart = Field(description="Последние списания с сертификатов семьи (первая страница)")


class MunicipalityPage(Page[Municipality]):
    """Municipalities of the installation."""
