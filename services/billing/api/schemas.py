"""Request and response bodies of the billing API. Model docstrings and field descriptions are
the OpenAPI document's texts, so they are Russian."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pfdo_events.catalog import Month, Register
from pfdo_kit.pagination import Page
from services.billing.domain.charges import Rule
from services.billing.domain.statuses import (
    ContractStatus,
    DisputeStatus,
    DisputeStep,
    EndedBy,
    MonthCloseStatus,
    ProviderAnswer,
)

# --- contracts


class MonthOut(BaseModel):
    """Месяц графика договора."""
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
    """Договор-оферта по одной принятой заявке и деньги сертификата под него."""
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID = Field(description="id договора; совпадает с id заявки, из которой он возник")
    number: str = Field(description="номер договора", examples=["ДС-2026-000123"])
    status: ContractStatus = Field(description=(
        "draft — заявка принята, средства сертификата ещё резервируются; offered — средства зарезервированы, "
        "оферта ждёт подписи семьи; signed — подписан, ребёнок зачислен; terminated — расторгнут после "
        "подписания; void — прекращён, не будучи подписанным (отказ в резервировании, отзыв заявки)"))
    child_id: uuid.UUID
    certificate_id: uuid.UUID = Field(description="сертификат, из средств которого оплачивается обучение")
    payer: str = Field(description=(
        "плательщик — муниципалитет сертификата (код из GET /api/v1/municipalities): его бюджет оплачивает "
        "обучение, его оператор закрывает месяц по договору и видит договор"), examples=["chegem"])
    provider_id: uuid.UUID
    provider_name: str = Field(examples=["ДЮСШ «Старт»"])
    program_id: uuid.UUID
    program_title: str = Field(examples=["Шахматы для начинающих"])
    group_id: uuid.UUID
    program_register: Register = Field(description="реестр программы; по сертификату оплачиваются certified")
    starts_on: date = Field(description="начало обучения по договору")
    ends_on: date = Field(description="окончание обучения по договору")
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
    signed_on: date | None = Field(description=(
        "день подписания семьёй; посещение отмечается только с этого дня (и не раньше начала обучения)"))
    terminated_on: date | None = Field(description="последний день действия расторгнутого договора")
    terminated_by: EndedBy | None = Field(description=(
        "кто прекратил договор: parent — семья (в том числе отзывом заявки), provider — организатор, "
        "operator — оператор муниципалитета, system — система (сертификат закрыт, организатор "
        "приостановлен или исключён)"))
    end_reason: str | None = Field(description="причина прекращения или отказа в резервировании")
    months: list[MonthOut] = Field(default=[], description=(
        "график договора по месяцам (только в ответе по одному договору; в списке пуст): месяцы срока "
        "договора, у расторгнутого — до месяца расторжения включительно; более поздние месяцы не его график, "
        "их доли уже вернулись на сертификат"))


class ContractPage(Page[ContractOut]):
    """Страница договоров (без графика по месяцам)."""


class TerminateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terminated_on: date = Field(description=(
        "последний день действия договора: не раньше сегодняшнего дня и не позже окончания договора"),
        examples=["2026-10-15"])
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)] = Field(
        description="причина расторжения, от 3 до 1000 символов", examples=["Семья переезжает в другой город"])


class SignIn(BaseModel):
    """Подпись оферты; тело необязательно."""
    model_config = ConfigDict(extra="forbid")
    document_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$")] | None = Field(
        default=None, description=(
            "SHA-256 (hex) прочитанной семьёй оферты — заголовок `X-Document-SHA256` ответа "
            "GET /contracts/{contract_id}/offer. Если оферта читается теперь иначе, договор не подписывается: "
            "409 offer-changed"),
        examples=["9f2c6a1d0b7e4f3a8c5d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b"])


DocumentKind = Literal["offer", "termination"]


class ContractDocumentOut(BaseModel):
    """Сохранённый документ договора: подписанная оферта или уведомление о расторжении."""
    model_config = ConfigDict(from_attributes=True)
    kind: DocumentKind = Field(description="offer — подписанная оферта; termination — уведомление о расторжении")
    template: str = Field(description="версия шаблона, по которой составлен документ", examples=["kbr/offer-v1"])
    sha256: str = Field(description="SHA-256 файла PDF (hex); тот же, что в заголовках ETag и X-Document-SHA256")
    size: int = Field(description="размер файла PDF, байт")
    created_at: datetime = Field(description="когда документ сохранён")
    actor: str = Field(description=(
        "учётная запись, подписавшая оферту, или кто прекратил договор (роль:учётная запись; system — система)"),
        examples=["parent:4b1c…"])
    signed_at: datetime | None = Field(description="когда оферта подписана; у уведомления — null")
    download: str = Field(description="где скачать PDF", examples=["/api/v1/contracts/3f1c…/offer"])


class ContractDocumentPage(Page[ContractDocumentOut]):
    """Страница документов договора."""


# --- attendance


class MarksIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lesson_date: date = Field(description=(
        "день занятия: по расписанию группы, не позже сегодняшнего дня, в ещё не закрытом месяце"),
        examples=["2026-09-08"])
    present: list[uuid.UUID] = Field(default=[], max_length=500, description="дети (child_id), которые пришли",
                                     examples=[["3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"]])
    absent: list[uuid.UUID] = Field(default=[], max_length=500, description="дети (child_id), которых не было",
                                    examples=[["7a8b9c0d-1e2f-4a3b-9c4d-5e6f7a8b9c0d"]])

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
    present: bool = Field(description="true — пришёл, false — отмечен отсутствующим")


class RosterLine(BaseModel):
    """Ребёнок группы в месяце: его договор и отметки посещения."""
    contract_id: uuid.UUID
    contract_number: str
    child_id: uuid.UUID
    child_full_name: str | None = Field(default=None, description=(
        "ФИО ребёнка из договора (нет у договоров, заключённых до документов договора)"))
    attended: int = Field(description="сколько занятий месяца ребёнок посетил (отметок «пришёл»)")
    marks: list[Mark] = Field(description="отметки месяца по датам занятий; дата без отметки — не отмечено")


class RosterPage(Page[RosterLine]):
    """Страница табеля группы за месяц."""


class MarkedLessonOut(BaseModel):
    """Итог отметки занятия: отмеченные дети с их отметками за месяц."""
    group_id: uuid.UUID
    lesson_date: date
    month: Month = Field(description="месяц занятия, ГГГГ-ММ")
    marked: list[RosterLine] = Field(description=(
        "отмеченные в этом запросе дети (сначала пришедшие) с отметками за весь месяц занятия"))


# --- month close


class MonthCloseOut(BaseModel):
    """Закрытие месяца плательщика (муниципалитета) и его ход."""
    model_config = ConfigDict(from_attributes=True)
    month: str = Field(description="месяц, ГГГГ-ММ", examples=["2026-09"])
    municipality: str = Field(description="муниципалитет-плательщик, чей месяц закрывается", examples=["chegem"])
    status: MonthCloseStatus = Field(description=(
        "charging — считаются списания; posting — списания отправляются в реестр сертификатов пачками; "
        "posted — всё отправлено, ждём подтверждений списания; closed — всё подтверждено, счета выставлены"))
    rule: Rule = Field(description=(
        "правило оказанной услуги, действовавшее при запросе: full_month — за месяц с хотя бы одним "
        "посещением списывается вся доля сертификата; attended_share — доля × посещённые / запланированные "
        "занятия (с округлением до копейки, половина вверх); без посещений — ничего"))
    requested_by: str = Field(description="кто запросил закрытие")
    requested_at: datetime
    charges_count: int = Field(description="сколько списаний (по договору плательщика за месяц) начислено")
    charges_kop: int = Field(description="сумма начисленных списаний, коп.")
    batches_posted: int = Field(description="сколько пачек списаний отправлено в реестр сертификатов")
    confirmed_count: int = Field(description="сколько списаний реестр сертификатов уже подтвердил")
    invoices_count: int = Field(description="сколько счетов плательщику выставлено при закрытии")
    closed_at: datetime | None = Field(description="когда месяц закрыт; null — ещё не закрыт")


class MonthClosePage(Page[MonthCloseOut]):
    """Страница закрытий месяцев плательщика, новые месяцы сверху."""


# --- advances


class AdvanceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    month: Month = Field(description="месяц аванса, ГГГГ-ММ: текущий месяц", examples=["2026-09"])
    amount_kop: int | None = Field(default=None, gt=0, description="сумма, коп.; по умолчанию — весь доступный лимит",
                                   examples=[4_800_000])


class AdvancePartOut(BaseModel):
    """Часть аванса, которую платит один муниципалитет-плательщик."""
    model_config = ConfigDict(from_attributes=True)
    payer: str = Field(description="муниципалитет-плательщик", examples=["chegem"])
    amount_kop: int = Field(description="его часть аванса, коп.; вычитается из счёта организатора этому плательщику")
    limit_kop: int = Field(description=(
        "его лимит, коп.: процент региона от долей сертификатов за месяц по подписанным договорам организатора "
        "с этим плательщиком, покрытым действующим соглашением"))


class AdvanceOut(BaseModel):
    """Аванс организатору за месяц и его части по плательщикам."""
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    provider_id: uuid.UUID
    month: str = Field(description="месяц аванса, ГГГГ-ММ", examples=["2026-09"])
    amount_kop: int = Field(description=(
        "выданный аванс, коп. (оператору муниципалитета — часть его муниципалитета); каждый плательщик "
        "вычитает свою часть из счёта за этот месяц"))
    limit_kop: int = Field(description=(
        "лимит аванса на момент запроса, коп. (оператору муниципалитета — лимит его муниципалитета): сумма "
        "лимитов плательщиков — процент региона (по умолчанию 80 %) от долей сертификатов за месяц по "
        "подписанным договорам организатора, действующим в этом месяце, только с теми плательщиками, с "
        "которыми у организатора есть действующее соглашение на год договора"))
    requested_at: datetime
    parts: list[AdvancePartOut] = Field(description=(
        "части аванса по плательщикам: аванс делится пропорционально их лимитам, до копейки; оператор "
        "муниципалитета видит только часть своего муниципалитета"))


class AdvancePage(Page[AdvanceOut]):
    """Страница авансов."""


# --- invoices


class InvoiceLine(BaseModel):
    """Списание по одному договору в счёте."""
    contract_id: uuid.UUID
    contract_number: str
    program_title: str
    certificate_id: uuid.UUID
    planned_lessons: int = Field(description="занятий в месяце по расписанию договора")
    attended_lessons: int = Field(description="посещено занятий (до даты расторжения, если договор расторгнут)")
    share_kop: int = Field(description="доля сертификата за месяц по договору, коп.")
    charged_kop: int = Field(description="списано с сертификата за месяц, коп.")


class InvoiceOut(BaseModel):
    """Счёт организатора плательщику (муниципалитету) за месяц: списания − часть аванса + перенесённый долг = итог."""
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    number: str = Field(description="номер счёта, единый по всему региону", examples=["СЧ-2026-09-000001"])
    provider_id: uuid.UUID
    provider_name: str
    payer: str = Field(description="муниципалитет-плательщик: счёт за детей с сертификатами этого муниципалитета",
                       examples=["chegem"])
    payer_name: str = Field(description="название плательщика", examples=["Чегемский муниципальный район"])
    month: str = Field(description="месяц счёта, ГГГГ-ММ", examples=["2026-09"])
    charges_kop: int = Field(description="сумма списаний с сертификатов плательщика за месяц, коп.")
    advance_kop: int = Field(description="часть аванса за этот месяц, которую платил этот плательщик, коп.")
    carried_in_kop: int = Field(description=(
        "перенесённый долг организатора перед этим плательщиком из прошлого счёта (≤ 0), коп."))
    corrections_kop: int = Field(description=(
        "корректировки, коп. (≥ 0): возвраты на сертификаты по спорам о прошлых списаниях, подтверждённые "
        "реестром сертификатов и ещё не учтённые в прошлых счетах этому плательщику"))
    settlement_kop: int = Field(description=(
        "итог: charges_kop − advance_kop + carried_in_kop − corrections_kop, коп.; > 0 — плательщик платит организатору, "
        "< 0 — долг организатора переносится в его следующий счёт этому плательщику"))
    issued_at: datetime


class InvoicePage(Page[InvoiceOut]):
    """Страница счетов (без строк)."""


class InvoiceCorrection(BaseModel):
    """Корректировка счёта: возврат по спору о списании прошлого месяца."""
    reversal_id: uuid.UUID
    dispute_id: uuid.UUID
    contract_id: uuid.UUID
    contract_number: str
    month: str = Field(description="месяц исправленного списания, ГГГГ-ММ")
    amount_kop: int = Field(description="возвращено на сертификат, коп.")


class InvoiceWithLines(InvoiceOut):
    lines: list[InvoiceLine] = Field(description="строки счёта по договорам, по номеру договора")
    corrections: list[InvoiceCorrection] = Field(description="корректировки: возвраты по спорам, которые учёл счёт")


# --- the family's debits


class DebitOut(BaseModel):
    """Списание с сертификата с объяснением: договор, месяц, посещённые занятия из запланированных."""
    charge_id: uuid.UUID
    month: str = Field(description="месяц, за который списано, ГГГГ-ММ", examples=["2026-09"])
    amount_kop: int = Field(description="списано с сертификата, коп.")
    planned_lessons: int = Field(description="занятий в месяце по расписанию договора")
    attended_lessons: int = Field(description="сколько из них ребёнок посетил")
    contract_id: uuid.UUID
    contract_number: str
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    program_title: str
    provider_name: str
    contract_signed_on: date | None = Field(description="день подписания договора семьёй")
    debited_at: datetime = Field(description="когда реестр сертификатов подтвердил списание")
    share_kop: int = Field(description="доля сертификата за месяц по договору, коп.")
    rule: Rule = Field(description=(
        "правило региона, по которому посчитано списание: full_month — вся доля при любом посещении, "
        "attended_share — доля × посещённые / запланированные занятия"))
    explanation: str = Field(description="объяснение списания словами: доля, занятия, правило и расчёт", examples=[
        "Доля сертификата за месяц — 300,00 ₽; посещено 3 из 5 занятий по расписанию. Правило: оплачивается доля "
        "месяца, пропорциональная посещённым занятиям; 300,00 ₽ × 3/5 = 180,00 ₽."])
    reversed_kop: int = Field(description="возвращено на сертификат по спору об этом списании, коп.")
    dispute_until: date = Field(description="последний день, когда списание можно оспорить (окно региона)")
    dispute_id: uuid.UUID | None = Field(description="спор об этом списании, если он есть (один на списание)")
    dispute_status: DisputeStatus | None = Field(description="где спор сейчас; null — спора нет")


class DebitPage(Page[DebitOut]):
    """Страница списаний, новые месяцы сверху."""


# --- reconciliation


class ContractDifference(BaseModel):
    """Договор, у которого счёт за месяц с корректировками и списание с сертификата с возвратами расходятся."""
    contract_id: uuid.UUID
    contract_number: str | None = Field(None, description="номер договора; null — договора нет в начислениях месяца",
                                        examples=["ДС-2026-000123"])
    invoiced_kop: int = Field(description="в строке счёта за месяц, коп. (0 — договора нет в счетах)")
    corrected_kop: int = Field(description="возвраты по спорам о списании этого месяца, учтённые расчётами, коп.")
    debited_kop: int = Field(description="списано с сертификата за месяц по реестру сертификатов, коп.")
    reversed_kop: int = Field(description="возвращено на сертификат по спорам о списании этого месяца, коп.")


class ProviderReconciliation(BaseModel):
    """Сверка месяца по одному организатору у плательщика."""
    provider_id: uuid.UUID
    provider_name: str | None = Field(None, description="название организатора, как его называют договоры",
                                      examples=["ДЮСШ «Старт»"])
    invoiced_kop: int = Field(description="списания в счёте организатора за месяц, коп.")
    corrections_kop: int = Field(description="возвраты по спорам о списаниях месяца (подтверждённые), коп.")
    debited_kop: int = Field(description="списано с сертификатов по договорам организатора за месяц, коп.")
    reversed_kop: int = Field(description="возвращено на сертификаты по спорам о списаниях месяца, коп.")
    balanced: bool = Field(description="списания − возвраты = счёт − корректировки, до копейки")


class PayerReconciliation(BaseModel):
    """Сверка месяца одного плательщика (или всего региона): реестр сертификатов против счетов организаторам."""
    municipality: str | None = Field(description="муниципалитет-плательщик; null — весь регион", examples=["chegem"])
    close_status: MonthCloseStatus | Literal["not_requested"] = Field(description=(
        "ход закрытия месяца плательщика (как в GET /municipalities/{municipality}/months/{month}); для региона — "
        "самого отстающего плательщика из тех, кто закрывал месяц или имеет доли договоров в нём; "
        "not_requested — закрытие не запрашивалось"))
    credited_kop: int = Field(description="зачислено на сертификаты записями реестра, сделанными в этом месяце, коп.")
    reserved_kop: int = Field(description="зарезервировано записями реестра этого месяца, коп.")
    released_kop: int = Field(description="возвращено из резерва записями реестра этого месяца, коп.")
    expired_kop: int = Field(description="сгорело (закрытые сертификаты, конец периода) в этом месяце, коп.")
    debited_kop: int = Field(description="списано с сертификатов за этот месяц (когда бы ни пришло списание), коп.")
    invoiced_kop: int = Field(description="сумма списаний в счетах за этот месяц, коп.")
    advanced_kop: int = Field(description="авансы (части плательщика), выданные за этот месяц, коп.")
    settled_kop: int = Field(description="сумма итогов счетов: что причитается организаторам с учётом долгов, коп.")
    payable_kop: int = Field(description="к оплате организаторам (сумма положительных итогов), коп.")
    carried_out_kop: int = Field(description="долги организаторов, переносимые на следующий месяц (≤ 0), коп.")
    reversed_kop: int = Field(description=(
        "возвращено на сертификаты по спорам о списаниях этого месяца (когда бы ни вернули), по реестру, коп."))
    corrections_kop: int = Field(description=(
        "возвраты по спорам о списаниях этого месяца, подтверждённые реестром, по расчётам, коп.: корректировки "
        "счетов организаторов"))
    corrections_pending_kop: int = Field(description=(
        "из них ещё не учтённые ни одним счётом, коп.: их учтёт следующий счёт организатора плательщику"))
    balanced: bool = Field(description=(
        "true — списания реестра сертификатов за месяц минус возвраты по спорам равны списаниям в счетах минус "
        "корректировки до копейки, по каждому договору и организатору; у сверки региона — и у каждого плательщика "
        "в `payers`"))
    differences: list[ContractDifference] = Field(description="договоры, у которых счёт и списание расходятся")
    providers: list[ProviderReconciliation] = Field(description="по каждому организатору с деньгами в месяце")


class ReconciliationOut(PayerReconciliation):
    """Сверка месяца: плательщика (`municipality`) или всего региона с разбивкой по плательщикам."""
    month: str = Field(examples=["2026-09"])
    payers: list[PayerReconciliation] = Field(description=(
        "сверка региона — по каждому муниципалитету-плательщику, в порядке списка муниципалитетов; "
        "в сверке одного плательщика пусто"))


# --- registers: contracts and payments of a payer (or of the region)


class ContractRegisterRow(BaseModel):
    """Строка реестра договоров плательщика."""
    id: uuid.UUID = Field(description="id договора")
    number: str = Field(description="номер договора", examples=["ДС-2026-000123"])
    status: ContractStatus
    payer: str = Field(description="муниципалитет-плательщик", examples=["chegem"])
    child_id: uuid.UUID
    child_full_name: str | None = Field(description=(
        "ФИО ребёнка, как его назвал реестр сертификатов при резервировании; null — договор старше документов "
        "договора или читает региональный оператор (персональные данные детей — только сотрудникам "
        "плательщика)"), examples=["Хашхожева Амина Руслановна"])
    certificate_id: uuid.UUID
    certificate_number: str | None = Field(description="номер сертификата; null — договор старше документов",
                                           examples=["8000000012"])
    provider_id: uuid.UUID
    provider_name: str = Field(examples=["ДЮСШ «Старт»"])
    program_title: str = Field(examples=["Шахматы для начинающих"])
    group_id: uuid.UUID
    group_name: str | None = Field(description="название группы; null — договор старше документов договора")
    starts_on: date
    ends_on: date
    reserved_kop: int = Field(description="удерживается под договор сейчас, коп. (как в GET /contracts)")
    charged_kop: int = Field(description="списано по договору за закрытые месяцы, коп.")
    released_kop: int = Field(description="вернулось на сертификат, коп.")
    signed_on: date | None = Field(description="день подписания семьёй; null — не подписан")
    signed_at: datetime | None = Field(description=(
        "момент подписания по сохранённой подписанной оферте; null — не подписан или договор старше документов"))


class ContractRegisterPage(Page[ContractRegisterRow]):
    """Страница реестра договоров, по номеру договора."""


class PaymentTotals(BaseModel):
    """Итоги реестра платежей."""
    invoices: int = Field(description="сколько счетов")
    charges_kop: int = Field(description="сумма списаний, коп.")
    advance_kop: int = Field(description="сумма авансов (частей плательщиков), коп.")
    carried_in_kop: int = Field(description="сумма перенесённых долгов (≤ 0), коп.")
    corrections_kop: int = Field(description="сумма корректировок (≥ 0), коп.")
    settlement_kop: int = Field(description="сумма итогов счетов, коп.")
    payable_kop: int = Field(description="к оплате организаторам: сумма положительных итогов, коп.")
    carried_out_kop: int = Field(description="долги организаторов, переносимые на следующий месяц (≤ 0), коп.")


class PaymentsOut(BaseModel):
    """Реестр платежей за месяц: по счёту на организатора и плательщика."""
    month: str = Field(examples=["2026-09"])
    municipality: str | None = Field(description="муниципалитет-плательщик; null — весь регион",
                                     examples=["chegem"])
    items: list[InvoiceOut] = Field(description="счета месяца: по плательщику, названию организатора и номеру")
    totals: PaymentTotals


# --- the region's rules as billing applies them


class RulesOut(BaseModel):
    """Правила региона, которые применяет расчёт (только чтение; задаются конфигурацией региона)."""
    delivered_rule: Rule = Field(description=(
        "правило оказанной услуги при закрытии месяца: full_month — вся доля при любом посещении; "
        "attended_share — доля × посещённые / запланированные занятия"))
    delivered_rule_text: str = Field(description="то же словами", examples=[
        "оплачивается доля месяца, пропорциональная посещённым занятиям"])
    advance_percent: int = Field(description="аванс — до этой доли (%) запланированных долей сертификатов месяца",
                                 examples=[80])
    dispute_window_days: int = Field(description="сколько дней после списания семья может его оспорить",
                                     examples=[30])
    dispute_answer_days: int = Field(description="сколько дней у организатора на ответ по спору", examples=[10])
    offer_template: str = Field(description="версия шаблона оферты", examples=["kbr/offer-v1"])
    termination_template: str = Field(description="версия шаблона уведомления о расторжении",
                                      examples=["kbr/termination-v1"])
    timezone: str = Field(description="часовой пояс региона: по нему считаются дни и месяцы",
                          examples=["Europe/Moscow"])


# --- what the certificates service answers for the reconciliation (GET /api/v1/reports/ledger)


class LedgerContract(BaseModel):
    contract_id: uuid.UUID
    debited_kop: int
    reversed_kop: int = 0


class LedgerMonth(BaseModel):
    moved_kop: dict[str, int]  # the month's ledger entries by kind: credit, reserve, release, expire
    debited_for_month_kop: int
    reversed_for_month_kop: int = 0
    contracts: list[LedgerContract]


# --- disputes of debits

Comment = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class DisputeIn(BaseModel):
    """Семья оспаривает списание."""
    model_config = ConfigDict(extra="forbid")
    charge_id: uuid.UUID = Field(description="списание (`charge_id` из GET /api/v1/debits)")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=2000)] = Field(
        description="что не так со списанием, от 10 до 2000 символов",
        examples=["Ребёнок болел весь месяц и не ходил на занятия, справка есть"])


class DisputeAnswerIn(BaseModel):
    """Ответ организатора на спор."""
    model_config = ConfigDict(extra="forbid")
    answer: ProviderAnswer = Field(description=(
        "agree_full — согласен полностью (всё оспоренное возвращается, спор решён); agree_part — согласен "
        "частично (возвращается `reversal_kop`, остальное решает оператор плательщика); disagree — не согласен "
        "(решает оператор плательщика)"))
    reversal_kop: int | None = Field(default=None, ge=1, description=(
        "только для agree_part: сколько вернуть, коп. — больше 0 и меньше оспоренного остатка"))
    comment: Comment | None = Field(default=None, description=(
        "объяснение; обязательно для agree_part и disagree"), examples=["Ребёнок был на трёх занятиях из пяти"])


class DisputeDecisionIn(BaseModel):
    """Решение оператора плательщика по тому, что осталось спорным."""
    model_config = ConfigDict(extra="forbid")
    reversal_kop: int = Field(ge=0, description="сколько ещё вернуть на сертификат, коп.: от 0 до оспоренного остатка")
    comment: Comment = Field(description="обоснование решения (обязательно)",
                             examples=["Журнал посещаемости подтверждает два занятия из пяти"])


class DisputeWithdrawIn(BaseModel):
    """Семья отзывает спор."""
    model_config = ConfigDict(extra="forbid")
    comment: Comment | None = Field(default=None, description="почему (необязательно)",
                                    examples=["Организатор вернул деньги, вопрос решён"])


class DisputeStepOut(BaseModel):
    """Шаг спора: кто, когда, что и почему."""
    model_config = ConfigDict(from_attributes=True)
    step: DisputeStep = Field(description=(
        "opened — спор открыт; agreed_in_full / agreed_in_part / disagreed — ответ организатора; decided — "
        "решение оператора; withdrawn — семья отозвала спор; reversal_confirmed — возврат зачислен на сертификат"))
    actor: str = Field(description="кто сделал шаг (роль:аккаунт; system — платформа)")
    role: str = Field(description="роль того, кто сделал шаг")
    comment: str | None = Field(description="причина, объяснение или обоснование")
    amount_kop: int | None = Field(description="сколько этот шаг вернул на сертификат, коп.")
    at: datetime


class ReversalOut(BaseModel):
    """Возврат списанного по спору."""
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    stage: Literal["provider", "operator"] = Field(description="чей шаг вернул: организатора или оператора")
    amount_kop: int = Field(description="сумма возврата, коп.")
    created_at: datetime
    confirmed_at: datetime | None = Field(description="когда возврат зачислен на сертификат; null — ещё в пути")
    invoice_id: uuid.UUID | None = Field(description=(
        "счёт организатора, который учёл возврат как корректировку; null — учтёт следующий счёт плательщику"))


class DisputeOut(BaseModel):
    """Спор семьи о списании."""
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    charge_id: uuid.UUID = Field(description="оспоренное списание")
    contract_id: uuid.UUID
    contract_number: str
    program_title: str
    provider_id: uuid.UUID
    payer: str = Field(description="муниципалитет-плательщик: его оператор решает спорный остаток")
    month: str = Field(description="месяц списания, ГГГГ-ММ")
    status: DisputeStatus = Field(description=(
        "awaiting_provider — ждёт ответа организатора; awaiting_operator — ждёт решения оператора плательщика; "
        "resolved — решён; withdrawn — отозван семьёй"))
    reason: str = Field(description="что семья оспаривает")
    debited_kop: int = Field(description="оспоренное списание, коп.")
    reversed_kop: int = Field(description="возвращено по спору, коп. (не больше списания)")
    open_kop: int = Field(description="что ещё спорно, коп.: списание − возвращённое, пока спор не закрыт; иначе 0")
    opened_at: datetime
    answer_due: date = Field(description="последний день для ответа организатора; после него решает оператор")
    provider_answer: ProviderAnswer | None
    provider_comment: str | None
    decision_comment: str | None
    closed_at: datetime | None


class DisputePage(Page[DisputeOut]):
    """Страница споров, новые сверху."""


class DisputeWithHistory(DisputeOut):
    """Спор с историей шагов и возвратами."""
    history: list[DisputeStepOut] = Field(description="все шаги спора по порядку")
    reversals: list[ReversalOut] = Field(description="возвраты по спору")
