"""Request and response bodies of the billing API."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pfdo_events.catalog import Month
from services.billing.domain.statuses import ContractStatus

# --- contracts


class MonthOut(BaseModel):
    """A month of the contract's schedule."""
    model_config = ConfigDict(from_attributes=True)
    month: str = Field(description="месяц, ГГГГ-ММ")
    certificate_kop: int = Field(description="доля сертификата за месяц по договору, коп.")
    copay_kop: int = Field(description="доплата семьи за месяц, коп.")
    planned_lessons: int = Field(description="занятий в месяце по расписанию")
    reserved_kop: int = Field(description=(
        "сколько из доли сертификата за этот месяц удерживается сейчас, коп.: вся доля, пока месяц не закрыт; "
        "0 после закрытия месяца (списано за посещённое, остаток вернулся на сертификат) и у договора, "
        "под который ничего не удерживается (черновик до резервирования, оферта, отменённая до подписания, "
        "договор после итогового списания)"))
    charged_kop: int | None = Field(description=(
        "списано с сертификата за месяц при его закрытии, коп.; null — месяц ещё не закрыт для договора"))


class ContractOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    number: str
    status: ContractStatus
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str
    program_id: uuid.UUID
    program_title: str
    group_id: uuid.UUID
    program_register: str
    starts_on: date
    ends_on: date
    reserved_kop: int = Field(description=(
        "сколько средств сертификата удерживается под договор сейчас, коп. (столько же, как только события "
        "обработаны, держит под него реестр сертификата): при оферте — доли всех месяцев; после закрытия "
        "месяца — без списанного и вернувшегося за этот месяц; после расторжения — доли месяцев до даты "
        "расторжения, ещё не закрытых (более поздние месяцы сразу возвращаются на сертификат); после "
        "итогового списания и у отменённой оферты — 0. "
        "reserved_kop + charged_kop + released_kop = сумма, зарезервированная при оферте"))
    charged_kop: int = Field(description="списано с сертификата по договору за закрытые месяцы, коп.")
    released_kop: int = Field(description=(
        "вернулось на сертификат, коп.: неиспользованные доли закрытых месяцев, месяцы после расторжения, "
        "остаток после итогового списания"))
    signed_on: date | None
    terminated_on: date | None
    terminated_by: str | None
    end_reason: str | None
    months: list[MonthOut] = Field(default=[], description=(
        "график договора по месяцам (только в ответе по одному договору; в списке пуст): месяцы срока "
        "договора, у расторгнутого — до месяца расторжения включительно; более поздние месяцы не его график, "
        "их доли уже вернулись на сертификат"))


class TerminateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terminated_on: date = Field(description="последний день действия договора")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


# --- attendance


class MarksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lesson_date: date
    present: list[uuid.UUID] = Field(default=[], max_length=500, description="дети (child_id), которые пришли")
    absent: list[uuid.UUID] = Field(default=[], max_length=500, description="дети, которых не было")

    @model_validator(mode="after")
    def _each_child_once(self) -> "MarksIn":
        both = self.present + self.absent
        if not both:
            raise ValueError("Отметьте хотя бы одного ребёнка")
        if len(set(both)) != len(both):
            raise ValueError("Каждый ребёнок отмечается один раз: либо пришёл, либо нет")
        return self


class Mark(BaseModel):
    lesson_date: date
    present: bool


class RosterLine(BaseModel):
    contract_id: uuid.UUID
    contract_number: str
    child_id: uuid.UUID
    attended: int
    marks: list[Mark]


# --- month close


class MonthCloseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    month: str
    status: str
    rule: str
    requested_by: str
    requested_at: datetime
    charges_count: int
    charges_kop: int
    batches_posted: int
    confirmed_count: int
    invoices_count: int
    closed_at: datetime | None


# --- advances


class AdvanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: Month
    amount_kop: int | None = Field(default=None, gt=0, description="по умолчанию — весь доступный лимит")


class AdvanceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    provider_id: uuid.UUID
    month: str
    amount_kop: int
    limit_kop: int
    requested_at: datetime


# --- invoices


class InvoiceLine(BaseModel):
    contract_id: uuid.UUID
    contract_number: str
    program_title: str
    certificate_id: uuid.UUID
    planned_lessons: int
    attended_lessons: int
    share_kop: int
    charged_kop: int


class InvoiceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    number: str
    provider_id: uuid.UUID
    provider_name: str
    month: str
    charges_kop: int
    advance_kop: int
    carried_in_kop: int
    settlement_kop: int
    issued_at: datetime


class InvoiceWithLines(InvoiceOut):
    lines: list[InvoiceLine]


# --- the family's debits


class DebitOut(BaseModel):
    charge_id: uuid.UUID
    month: str
    amount_kop: int
    planned_lessons: int
    attended_lessons: int
    contract_id: uuid.UUID
    contract_number: str
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    program_title: str
    provider_name: str
    contract_signed_on: date | None
    debited_at: datetime


# --- reconciliation


class ContractDifference(BaseModel):
    contract_id: uuid.UUID
    invoiced_kop: int
    debited_kop: int


class ReconciliationOut(BaseModel):
    month: str
    close_status: str  # not_requested | charging | posting | posted | closed
    credited_kop: int  # ledger entries made in the month
    reserved_kop: int
    released_kop: int
    expired_kop: int
    debited_kop: int  # debits of this month's charges (certificates' ledger)
    invoiced_kop: int  # charges on this month's invoices (billing)
    advanced_kop: int
    settled_kop: int  # Σ settlements: what the district pays now, net of carried debts
    payable_kop: int
    carried_out_kop: int
    balanced: bool
    differences: list[ContractDifference]
