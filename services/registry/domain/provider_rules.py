"""Which requisites a provider of each kind must have, and whether they are right."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.registry.domain import requisites as rq

# The legal form: a municipal, state or private organisation, or an individual entrepreneur (ИП).
ProviderKind = Literal["municipal", "state", "private", "individual_entrepreneur"]
ORGANISATION_KINDS = frozenset({"municipal", "state", "private"})
INDIVIDUAL_ENTREPRENEUR = "individual_entrepreneur"


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class Requisites:
    kind: str
    inn: str
    ogrn: str
    kpp: str | None
    bank_bik: str
    bank_account: str
    teaches_alone: bool
    licence_number: str | None
    licence_date: date | None


def requisites_errors(r: Requisites, today: date) -> list[FieldError]:
    """Every problem at once, so the applicant can fix the form in one go."""
    errors: list[FieldError] = []
    is_org = r.kind in ORGANISATION_KINDS
    if is_org:
        if rq.inn_kind(r.inn) != "organisation" or not rq.inn_ok(r.inn):
            errors.append(FieldError("inn", "ИНН организации — 10 цифр; контрольная цифра не сходится"))
        if not rq.ogrn_ok(r.ogrn):
            errors.append(FieldError("ogrn", "ОГРН — 13 цифр; контрольная цифра не сходится"))
        if not r.kpp:
            errors.append(FieldError("kpp", "КПП обязателен для организации"))
        elif not rq.kpp_ok(r.kpp):
            errors.append(FieldError("kpp", "КПП — 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры"))
    else:
        if rq.inn_kind(r.inn) != "individual" or not rq.inn_ok(r.inn):
            errors.append(FieldError("inn", "ИНН индивидуального предпринимателя — 12 цифр; контрольные цифры не сходятся"))
        if not rq.ogrnip_ok(r.ogrn):
            errors.append(FieldError("ogrn", "ОГРНИП — 15 цифр; контрольная цифра не сходится"))
        if r.kpp:
            errors.append(FieldError("kpp", "У индивидуального предпринимателя нет КПП"))

    if not rq.bik_ok(r.bank_bik):
        errors.append(FieldError("bank_bik", "БИК — 9 цифр, начинается с 01, 02 или 04"))
    elif not rq.settlement_account_ok(r.bank_account, r.bank_bik):
        errors.append(FieldError("bank_account", "Расчётный счёт — 20 цифр; контрольный ключ не сходится с БИК"))

    licence_needed = is_org or not r.teaches_alone
    if licence_needed and not (r.licence_number and r.licence_date):
        errors.append(FieldError("licence_number", "Нужна лицензия на образовательную деятельность: номер и дата"))
    if r.licence_date and r.licence_date > today:
        errors.append(FieldError("licence_date", "Дата лицензии не может быть в будущем"))
    return errors
