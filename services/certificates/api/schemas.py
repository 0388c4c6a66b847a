"""Every request and response body of the certificates API."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from pfdo_kit.money import MAX_KOP
from pfdo_kit.pagination import Page
from services.certificates.domain.ledger import LedgerKind
from services.certificates.domain.periods import FundingReason, NominalCategory
from services.certificates.domain.snils import normalise, snils_ok
from services.certificates.domain.statuses import (
    CertificateKind,
    CertificateStatus,
    CloseReason,
    PeriodStatus,
    RunKind,
    RunStatus,
)


class ChildIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)] = Field(
        description="Фамилия, имя и отчество ребёнка", examples=["Хашхожева Амина Руслановна"])
    birth_date: date = Field(description=(
        "Дата рождения. Ребёнок, которому сегодня меньше или больше лет, чем дают сертификат в районе "
        "(по умолчанию от 5 до 17 включительно), не добавляется: 422 на этом поле"), examples=["2016-03-15"])
    snils: Annotated[str, StringConstraints(strip_whitespace=True, max_length=14)] = Field(
        description="СНИЛС ребёнка: 11 цифр, можно с дефисами и пробелом; контрольное число проверяется",
        examples=["112-233-445 95"])
    municipality: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)] = Field(
        description=("Код муниципалитета, где живёт ребёнок, из списка GET /api/v1/municipalities; "
                     "код не из списка — 422 на этом поле"), examples=["chegem"])
    ovz: bool = Field(False, description="У ребёнка ограниченные возможности здоровья (ОВЗ): свой номинал сертификата",
                      examples=[False])

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
    snils: str = Field(description="СНИЛС: полностью — только сотрудникам района, остальным — последние цифры")
    municipality: str = Field(description="Код муниципалитета (GET /api/v1/municipalities)")
    ovz: bool
    certificate_id: uuid.UUID | None = Field(None, description="Сертификат ребёнка; null — сертификат не запрошен")
    certificate_number: str | None = Field(None, description="Номер сертификата; null — сертификат не запрошен",
                                           examples=["8000000012"])
    certificate_status: CertificateStatus | None = Field(None, description="Состояние сертификата; null — его нет")


class ChildPage(Page[ChildOut]):
    """Дети, которых видит спрашивающий, в порядке добавления."""


class BalanceOut(BaseModel):
    """Деньги сертификата в копейках. available_kop = credited − expired − reserved − debited + reversed."""

    credited_kop: int = Field(description="Зачислено за всё время: номиналы периодов финансирования")
    expired_kop: int = Field(description="Сгорело: свободный остаток при закрытии периода или сертификата")
    reserved_kop: int = Field(description="Зарезервировано под действующие договоры и ещё не списано")
    debited_kop: int = Field(description="Списано в оплату занятий по договорам")
    reversed_kop: int = Field(description="Возвращено на сертификат после отмены списаний")
    available_kop: int = Field(description="Свободно сейчас: можно зарезервировать под новую запись")


class CertificateOut(BaseModel):
    id: uuid.UUID
    number: str
    child_id: uuid.UUID | None
    status: CertificateStatus = Field(description=(
        "pending_verification — выдан и ждёт, пока оператор проверит документы и активирует; active — действует; "
        "suspended — приостановлен, новые записи не оплачиваются; closed — закрыт навсегда"))
    kind: CertificateKind = Field(description=(
        "accounting — сертификат учёта (бесплатные программы, денег нет); funded — сертификат финансирования"))
    municipality: str
    balance: BalanceOut = Field(description=(
        "Баланс сертификата. У сертификата учёта (kind=accounting) он 0 ₽, пока первая запись на "
        "сертифицированную программу не сделает его сертификатом финансирования (kind=funded) и не зачислит "
        "номинал; что он получит — в expected_credit_kop и funding_note"))
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
    """Что поставщик узнаёт по номеру, который дала семья: без имени и без денег."""

    id: uuid.UUID
    number: str
    status: CertificateStatus
    kind: CertificateKind
    municipality: str


class SuspendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str | None = Field(default=None, max_length=500, description="Причина: её увидит семья в уведомлении",
                               examples=["Документы на проверке: нужна справка о месте жительства"])


# The body is optional, so its example is given on the operation too (the document shows it beside "or null").
SUSPEND_EXAMPLE = {"reason": "Документы на проверке: нужна справка о месте жительства"}


class CloseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: CloseReason = Field(description=(
        "Почему закрывается: turned_18 — ребёнку исполнилось 18, moved — переехал из района, "
        "duplicate — выдан повторно по ошибке"), examples=["moved"])


class LedgerEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int = Field(description="Номер записи; записи идут по возрастанию номера")
    kind: LedgerKind = Field(description=(
        "credit — зачисление, expire — сгорание свободного остатка, reserve — резерв под договор, "
        "release — снятие резерва, debit — списание в оплату занятий, reversal — возврат списанного"))
    amount_kop: int = Field(description="Сумма в копейках, всегда положительная; направление задаёт kind")
    cause: str = Field(description="Основание: одно основание двигает деньги один раз", examples=["period:2026:credit"])
    contract_id: uuid.UUID | None = Field(description="Договор резерва, списания или снятия резерва")
    at: datetime


class LedgerPage(Page[LedgerEntryOut]):
    """Записи счёта сертификата от первой к последней."""


class NominalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_age: int = Field(ge=0, le=18, description="Возраст от, лет включительно", examples=[5])
    max_age: int = Field(ge=0, le=18, description="Возраст до, лет включительно", examples=[17])
    category: NominalCategory = Field("general", description=(
        "general — все дети; ovz — дети с ОВЗ (без своего номинала им дают general)"), examples=["general"])
    amount_kop: int = Field(gt=0, le=MAX_KOP, description="Номинал на весь период, копеек", examples=[2_500_000])


class FreeLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    significant: int = Field(ge=0, description="Значимые программы", examples=[1])
    preprofessional: int = Field(ge=0, description="Предпрофессиональные", examples=[1])
    other: int = Field(ge=0, description="Иные", examples=[2])


class PeriodIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts_on: date = Field(description="Первый день периода", examples=["2026-01-01"])
    ends_on: date = Field(description="Последний день периода", examples=["2026-12-31"])
    nominals: list[NominalIn] = Field(min_length=1, max_length=50, description="Номиналы по возрасту и категории",
                                      examples=[[{"min_age": 5, "max_age": 17, "category": "general",
                                                  "amount_kop": 2_500_000},
                                                 {"min_age": 5, "max_age": 17, "category": "ovz",
                                                  "amount_kop": 3_500_000}]])
    funded_quota: int = Field(ge=0, le=10_000_000, description="Сколько сертификатов финансирования на период",
                              examples=[1200])
    free_limits: FreeLimits = Field(description="Сколько бесплатных программ одновременно по каждому реестру")
    budget_cap_kop: int = Field(ge=0, le=MAX_KOP, description="Бюджет периода, копеек: больше не зачисляется",
                                examples=[3_000_000_000])

    @model_validator(mode="after")
    def dates_in_order(self) -> "PeriodIn":
        if self.ends_on < self.starts_on:
            raise ValueError("Период заканчивается раньше, чем начинается")
        return self


class PeriodOut(PeriodIn):
    municipality: str = Field(description="Код муниципалитета, чей это период (GET /api/v1/municipalities)",
                              examples=["chegem"])
    year: int
    status: PeriodStatus


class RunResult(BaseModel):
    """Что сделал запуск; каждый вид заполняет свои цифры, остальные — null."""

    credited_certificates: int | None = Field(None, description="period_open: скольким сертификатам зачислено")
    credited_kop: int | None = Field(None, description="period_open: сколько копеек зачислено")
    stopped_at_budget: bool | None = Field(None, description="period_open: зачисления остановил бюджет периода")
    expired_certificates: int | None = Field(None, description="period_close: у скольких сертификатов сгорел остаток")
    expired_kop: int | None = Field(None, description="period_close, close_adults: сколько копеек сгорело")
    closed: int | None = Field(None, description="close_adults: сколько сертификатов закрыто")


class RunOut(BaseModel):
    """Долгий запуск и его ход; href — где его спрашивать, пока status не done или failed."""

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
    processed: int = Field(description="Сколько сертификатов обработано")
    total: int | None = Field(description="Сколько всего обработать; считается при старте, до него null")
    result: RunResult = Field(description="Цифры на сейчас; окончательные, когда status=done")
    error: str | None = Field(description="Почему запуск не может продолжаться (status=failed)")


class RunPage(Page[RunOut]):
    """Запуски периода, новые сверху."""


# The 202 of a request that starts a long run, as the document shows it.
RUN_ACCEPTED = {202: {"description": "Запуск принят; ход — по адресу из Location (он же href)", "headers": {
    "Location": {"description": "Где спрашивать ход запуска", "schema": {"type": "string"}}}}}


class ContractDebit(BaseModel):
    contract_id: uuid.UUID
    municipality: str = Field(description="Муниципалитет сертификата договора — плательщик", examples=["chegem"])
    debited_kop: int = Field(description="Списано по начислениям месяца")
    released_kop: int = Field(description="Снято с резерва по начислениям месяца")
    reversed_kop: int = Field(description="Возвращено по спорам о списаниях этого месяца, когда бы ни вернули")


class MovedByKind(BaseModel):
    """Сколько копеек двинули записи каждого вида (0 — не двигали)."""

    credit: int
    expire: int
    reserve: int
    release: int
    debit: int
    reversal: int


class LedgerMunicipalityOut(BaseModel):
    """Движения месяца по сертификатам одного муниципалитета."""

    municipality: str = Field(examples=["chegem"])
    moved_kop: MovedByKind = Field(description="Записи, сделанные в этом месяце (по времени региона), по видам")
    debited_for_month_kop: int = Field(description="Списания по начислениям этого месяца, когда бы их ни провели")
    reversed_for_month_kop: int = Field(description=(
        "Возвраты по спорам о списаниях этого месяца, когда бы их ни провели"))


class LedgerMonthOut(BaseModel):
    month: str
    municipality: str | None = Field(description=(
        "Чей отчёт: код муниципалитета (его сертификаты) или null — весь регион"), examples=["chegem"])
    moved_kop: MovedByKind = Field(description="Записи, сделанные в этом месяце (по времени региона), по видам")
    debited_for_month_kop: int = Field(description="Списания по начислениям этого месяца, когда бы их ни провели")
    reversed_for_month_kop: int = Field(description=(
        "Возвраты по спорам о списаниях этого месяца, когда бы их ни провели"))
    contracts: list[ContractDebit] = Field(description="По договорам: списания и снятия резерва начислений месяца")
    by_municipality: list[LedgerMunicipalityOut] = Field(description=(
        "То же по каждому муниципалитету: в отчёте региона — каждый муниципалитет установки (суммы по ним "
        "до копейки равны итогам), в отчёте муниципалитета — он один"))


class CertificateRegisterRow(BaseModel):
    """Строка реестра сертификатов. СНИЛС в реестр не входит."""

    id: uuid.UUID
    number: str = Field(examples=["8000000012"])
    child_id: uuid.UUID | None
    child_full_name: str | None = Field(description=(
        "ФИО ребёнка; null — у сертификата нет ребёнка в системе или читает региональный оператор (персональные "
        "данные детей — только сотрудникам их муниципалитета)"))
    birth_date: date | None = Field(description="дата рождения ребёнка; null — как у child_full_name")
    municipality: str = Field(description="Муниципалитет сертификата (плательщик)", examples=["chegem"])
    status: CertificateStatus
    kind: CertificateKind
    issued_at: datetime = Field(description="Когда сертификат выдан (запрошен)")
    closed_at: datetime | None = Field(description="Когда закрыт; null — не закрыт")
    credited_kop: int = Field(description="Зачислено за всё время")
    available_kop: int = Field(description="Свободно сейчас")
    reserved_kop: int = Field(description="Зарезервировано под договоры и ещё не списано")
    debited_kop: int = Field(description="Списано в оплату занятий")
    reversed_kop: int = Field(description="Возвращено после отмены списаний")


class CertificateRegisterPage(Page[CertificateRegisterRow]):
    """Страница реестра сертификатов, по номеру."""
