"""What the contract's documents say, without I/O: the facts of a contract, its months, its
provider, its family and the region's rules, put into the words a template prints (dates as
«1 сентября 2026 г.», money as «1 234,56 ₽», weekdays, the delivered-lesson rule). A fact the
platform does not hold (data from before documents) reads «не указано»; nothing fails for it."""
from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from pfdo_kit.money import rubles
from pfdo_kit.russian import DAYS, LESSONS, WEEKDAYS, day, month, plural

NOT_GIVEN = "не указано"

PROVIDER_KINDS = {"municipal": "муниципальная организация", "state": "государственная организация",
                  "private": "частная организация", "individual_entrepreneur": "индивидуальный предприниматель"}
REGISTERS = {"certified": "сертифицированная, оплачивается сертификатом",
             "significant": "социально значимая, бюджетное место",
             "preprofessional": "предпрофессиональная, бюджетное место",
             "other": "общеразвивающая, бюджетное место",
             "family": "оплачивается семьёй"}
RULES = {
    "attended_share": ("за месяц с сертификата списывается доля сертификата, пропорциональная посещённым "
                       "занятиям: доля за месяц × посещённые занятия / занятия месяца по расписанию, с округлением "
                       "до копейки; за месяц без посещений ничего не списывается"),
    "full_month": ("за месяц, в котором ребёнок посетил хотя бы одно занятие, с сертификата списывается вся доля "
                   "сертификата за этот месяц; за месяц без посещений ничего не списывается"),
}
ENDED_BY = {"parent": "заказчик (семья)", "provider": "исполнитель (организатор)",
            "operator": "оператор муниципалитета-плательщика",
            "system": "система ПФДО (по событию реестра: закрытие сертификата, приостановка или исключение "
                      "исполнителя, отзыв заявки)"}


class ContractFacts(Protocol):
    number: str
    payer: str
    municipality: str
    program_title: str
    program_register: str
    provider_name: str
    starts_on: date
    ends_on: date
    weekly_schedule: list
    certificate_number: str | None
    child_full_name: str | None
    child_birth_date: date | None
    group_name: str | None
    venue: str | None
    terminated_on: date | None
    terminated_by: str | None
    end_reason: str | None


class MonthFacts(Protocol):
    month: str
    certificate_kop: int
    copay_kop: int
    planned_lessons: int


@dataclass(frozen=True)
class RegionTerms:
    """The region's rules a document states."""
    delivered_rule: str
    dispute_window_days: int
    municipality_names: Mapping[str, str]  # code → name

    def name_of(self, code: str) -> str:
        return self.municipality_names.get(code, code)


@dataclass(frozen=True)
class Parent:
    full_name: str | None
    email: str | None


def given(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return NOT_GIVEN
    return day(value) if isinstance(value, date) else str(value)


def provider_lines(name: str, requisites: Mapping[str, Any] | None) -> dict[str, str]:
    """The provider as the parties' section names it; `requisites` as the registry's snapshot
    carries them (None: a provider known from before requisites travelled)."""
    r = dict(requisites or {})
    kind = r.get("kind")
    licence = NOT_GIVEN
    if r.get("licence_number"):
        licence = f"№ {r['licence_number']}" + (f" от {day(_as_date(r['licence_date']))}" if r.get("licence_date")
                                                  else "")
    return {"full_name": given(r.get("full_name") or name), "short_name": name,
            "kind": PROVIDER_KINDS.get(kind, NOT_GIVEN) if kind else NOT_GIVEN,
            "inn": given(r.get("inn")), "ogrn_label": "ОГРНИП" if kind == "individual_entrepreneur" else "ОГРН",
            "ogrn": given(r.get("ogrn")), "kpp": given(r.get("kpp")), "licence": licence,
            "legal_address": given(r.get("legal_address")), "bank_bik": given(r.get("bank_bik")),
            "bank_account": given(r.get("bank_account"))}


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def schedule_lines(weekly: Iterable[Mapping[str, Any]]) -> list[str]:
    """«вторник, 15:00, 45 мин», Monday first."""
    lessons = sorted(weekly, key=lambda lesson: (lesson["weekday"], lesson["starts_at"]))
    return [f"{WEEKDAYS[lesson['weekday']]}, {lesson['starts_at']}, {lesson['minutes']} мин" for lesson in lessons]


def month_rows(months: Sequence[MonthFacts]) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Each month's lessons, certificate share, co-payment and their sum; and the totals."""
    rows = [{"name": month(m.month), "lessons": str(m.planned_lessons), "certificate": rubles(m.certificate_kop),
             "copay": rubles(m.copay_kop), "total": rubles(m.certificate_kop + m.copay_kop)}
            for m in sorted(months, key=lambda m: m.month)]
    cert, copay = sum(m.certificate_kop for m in months), sum(m.copay_kop for m in months)
    totals = {"lessons": str(sum(m.planned_lessons for m in months)), "certificate": rubles(cert),
              "copay": rubles(copay), "total": rubles(cert + copay), "has_copay": copay > 0}
    return rows, totals


def offer_context(contract: ContractFacts, months: Sequence[MonthFacts], offered_on: date,
                  requisites: Mapping[str, Any] | None, parent: Parent | None, terms: RegionTerms) -> dict[str, Any]:
    """Everything the offer template prints."""
    rows, totals = month_rows(months)
    parent = parent or Parent(None, None)
    return {
        "number": contract.number, "offered_on": day(offered_on),
        "payer": terms.name_of(contract.payer), "municipality": terms.name_of(contract.municipality),
        "provider": provider_lines(contract.provider_name, requisites),
        "parent": {"full_name": given(parent.full_name), "email": given(parent.email)},
        "child": {"full_name": given(contract.child_full_name), "birth_date": given(contract.child_birth_date)},
        "certificate_number": given(contract.certificate_number),
        "program": {"title": contract.program_title,
                    "register": REGISTERS.get(contract.program_register, contract.program_register),
                    "group": given(contract.group_name), "venue": given(contract.venue),
                    "schedule": schedule_lines(contract.weekly_schedule) or [NOT_GIVEN],
                    "starts_on": day(contract.starts_on), "ends_on": day(contract.ends_on)},
        "months": rows, "totals": totals, "rule": RULES.get(terms.delivered_rule, terms.delivered_rule),
        "dispute_window": plural(terms.dispute_window_days, DAYS),
    }


@dataclass(frozen=True)
class MonthSettlement:
    """A month of a terminated contract: its share, and what its close charged (None: not closed)."""
    month: str
    certificate_kop: int
    planned_lessons: int
    charged_kop: int | None


def termination_context(contract: ContractFacts, months: Sequence[MonthSettlement], signed_on: date | None,
                        noticed_at: datetime, terms: RegionTerms) -> dict[str, Any]:
    """Everything the termination notice prints: when and by whom the contract ended and why,
    the months still paid for what was delivered up to the end, and what goes back at once."""
    end_month = contract.terminated_on.strftime("%Y-%m") if contract.terminated_on else None
    paid, returned = [], []
    for m in sorted(months, key=lambda m: m.month):
        if end_month is None or m.month <= end_month:
            state = (f"списано {rubles(m.charged_kop)}" if m.charged_kop is not None
                     else "будет списано за занятия, оказанные по дату расторжения")
            paid.append({"name": month(m.month), "share": rubles(m.certificate_kop),
                         "lessons": plural(m.planned_lessons, LESSONS), "state": state})
        else:
            returned.append({"name": month(m.month), "share": rubles(m.certificate_kop)})
    return {
        "number": contract.number, "noticed_on": day(noticed_at.date()),
        "signed_on": given(signed_on), "terminated_on": given(contract.terminated_on),
        "ended_by": ENDED_BY.get(contract.terminated_by or "", given(contract.terminated_by)),
        "reason": given(contract.end_reason), "payer": terms.name_of(contract.payer),
        "provider": contract.provider_name, "program": contract.program_title,
        "child": given(contract.child_full_name), "certificate_number": given(contract.certificate_number),
        "paid": paid, "returned": returned,
        "returned_total": rubles(sum(m.certificate_kop for m in months
                                     if end_month is not None and m.month > end_month)),
        "rule": RULES.get(terms.delivered_rule, terms.delivered_rule),
    }


def document_title(kind: str, number: str) -> str:
    return {"offer": f"Договор-оферта № {number}", "termination": f"Уведомление о расторжении договора № {number}"}[kind]


def ascii_filename(kind: str, number: str) -> str:
    """`offer-DS-2026-000123.pdf`: the contract number spelt in Latin letters for old clients."""
    latin = number.replace("ДС", "DS")
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in latin)
    return f"{kind}-{safe}.pdf"


def russian_filename(kind: str, number: str) -> str:
    return {"offer": f"Договор-оферта {number}.pdf", "termination": f"Уведомление о расторжении {number}.pdf"}[kind]


def download_path(contract_id: uuid.UUID, kind: str) -> str:
    return f"/api/v1/contracts/{contract_id}/" + {"offer": "offer", "termination": "termination-notice"}[kind]


@dataclass(frozen=True)
class Markup:
    """A document before rendering: cheap to make (the template filled), named by the fingerprint
    of everything its PDF depends on."""
    template: str
    text: str
    title: str
    created_at: datetime
    fingerprint: str


@dataclass(frozen=True)
class Rendered:
    template: str
    pdf: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def rendering_fingerprint(markup: str, template: str, title: str, created_at: datetime, renderer: str) -> str:
    """What names a rendering's every input: the same fingerprint, the same PDF bytes (the renderer
    is deterministic), so a kept rendering can stand for a new one. `renderer`: the identity of the
    renderer's code and font (a new font or layout code renders differently)."""
    digest = hashlib.sha256()
    for part in (renderer, template, title, created_at.isoformat(), markup):
        encoded = part.encode()
        digest.update(len(encoded).to_bytes(8, "big") + encoded)  # length-prefixed: no two inputs spell alike
    return digest.hexdigest()
