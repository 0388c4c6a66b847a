"""The Russian text of every notice: one function per kind, facts in, a title, a text and a
link (a path in the Navigator) out. Pure: times arrive already in the installation's zone."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from pfdo_kit.money import rubles as money
from pfdo_kit.russian import (
    CERTIFICATES,
    DAYS,
    HOURS,
    LESSONS,
    PROVIDERS,
    day,
    moment,
    month,
    plural,
    plural_form,
)
from services.notifications.domain import links


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    link: str | None = None  # a path under the Navigator's address


def _named(title: str | None) -> str:
    """After a colon in a title: ": «Шахматы»", or nothing."""
    return f": «{title}»" if title else ""


def _program(title: str | None) -> str:
    """After "на" / "в": "программу «Шахматы»"."""
    return f"программу «{title}»" if title else "программу дополнительного образования"


def _of_program(title: str | None) -> str:
    return f"программы «{title}»" if title else "программы"


def _by_program(title: str | None) -> str:
    return f"по программе «{title}»" if title else "по программе дополнительного образования"


def _contract(number: str | None) -> str:
    return f"Договор №\u00a0{number}" if number else "Договор"


def _reason(reason: str | None) -> str:
    return f" Причина: {reason.rstrip('.')}." if reason else ""


def _sentence(text: str) -> str:
    """End with a full stop, unless it already ends with one ("… 2026 г.")."""
    return text if text.endswith(".") else text + "."


def _agrees(n: int, one: str, many: str) -> str:
    """The verb after a count: "1 сертификат ждёт", "2 сертификата ждут"."""
    return one if plural_form(n, ("1", "2", "5")) == "1" else many


# Parents

def application_accepted(application_id: uuid.UUID, program: str | None, provider: str | None,
                         starts_on: date | None, lessons_per_week: int) -> Message:
    when = ""
    if starts_on:
        weekly = f", {plural(lessons_per_week, LESSONS)} в неделю" if lessons_per_week else ""
        when = " " + _sentence(f"Занятия начинаются {day(starts_on)}{weekly}")
    return Message(
        f"Заявка принята{_named(program)}",
        f"{provider or 'Поставщик'} принял заявку на {_program(program)}.{when} "
        "Теперь резервируются средства сертификата, затем договор придёт на подпись.",
        links.application(application_id))


def application_rejected(application_id: uuid.UUID, program: str | None, reason: str) -> Message:
    return Message(
        f"Заявка отклонена{_named(program)}",
        f"Поставщик отклонил заявку на {_program(program)}.{_reason(reason)} "
        "Можно подать заявку в другую группу или на другую программу.",
        links.application(application_id))


def application_waitlisted(application_id: uuid.UUID, program: str | None) -> Message:
    return Message(
        f"Заявка в очереди{_named(program)}",
        f"Поставщик принял заявку, но свободных мест в группе {_of_program(program)} нет: заявка поставлена в "
        "очередь. Когда место освободится, мы сообщим, и у вас будет время его подтвердить.",
        links.application(application_id))


def seat_offered(application_id: uuid.UUID, program: str | None, until: datetime) -> Message:
    return Message(
        f"Освободилось место{_named(program)}",
        f"В группе {_of_program(program)} освободилось место, и оно предложено вам. Подтвердите его до "
        f"{moment(until)}: после этого место перейдёт следующему в очереди.",
        links.application(application_id))


def offer_expiring(application_id: uuid.UUID, program: str | None, until: datetime, hours_left: int) -> Message:
    left = plural(max(1, hours_left), HOURS)
    return Message(
        f"Осталось {left}: подтвердите место",
        f"Место в группе {_of_program(program)} держится за вами до {moment(until)}, осталось {left}. "
        "Если не подтвердить его, оно перейдёт следующему в очереди.",
        links.application(application_id))


def application_expired(application_id: uuid.UUID, program: str | None, reason: str) -> Message:
    if reason == "offer_not_confirmed":
        return Message(
            f"Место не подтверждено{_named(program)}",
            f"Срок подтверждения места в группе {_of_program(program)} истёк, место передано следующему в "
            "очереди. Можно подать новую заявку.",
            links.application(application_id))
    return Message(
        f"Заявка закрыта{_named(program)}",
        f"Поставщик не рассмотрел заявку на {_program(program)} в установленный срок, и она закрыта. "
        "Можно подать заявку в другую группу или на другую программу.",
        links.application(application_id))


def funds_reserved(application_id: uuid.UUID, program: str | None, amount_kop: int) -> Message:
    return Message(
        "Средства сертификата зарезервированы",
        f"На обучение {_by_program(program)} с сертификата зарезервировано {money(amount_kop)}. "
        "Эти деньги списываются помесячно за проведённые занятия; договор придёт на подпись.",
        links.application(application_id))


def funds_refused(application_id: uuid.UUID, program: str | None, reason: str) -> Message:
    return Message(
        "Средства сертификата не зарезервированы",
        f"Оплатить сертификатом обучение {_by_program(program)} не получилось.{_reason(reason)} "
        "Заявка отклонена, место в группе освобождено.",
        links.application(application_id))


def contract_offered(contract_id: uuid.UUID, number: str | None, program: str | None, provider: str | None,
                     reserved_kop: int) -> Message:
    with_whom = f" с поставщиком «{provider}»" if provider else ""
    reserved = f" Под него зарезервировано {money(reserved_kop)} сертификата." if reserved_kop else ""
    return Message(
        f"{_contract(number)} готов к подписанию",
        f"Договор об обучении {_by_program(program)}{with_whom} ждёт вашей подписи в личном кабинете."
        f"{reserved} Ребёнок будет зачислен, когда вы подпишете договор.",
        links.contract(contract_id))


def contract_unsigned(contract_id: uuid.UUID, number: str | None, program: str | None, days: int) -> Message:
    return Message(
        f"{_contract(number)} ждёт подписи",
        f"Договор об обучении {_by_program(program)} ждёт вашей подписи уже {plural(days, DAYS)}. "
        "Пока он не подписан, ребёнок не зачислен.",
        links.contract(contract_id))


def contract_signed(contract_id: uuid.UUID, number: str | None, program: str | None, signed_on: date) -> Message:
    return Message(
        f"{_contract(number)} подписан",
        f"{_sentence(f'Договор об обучении {_by_program(program)} подписан {day(signed_on)}')} Ребёнок зачислен, оплата "
        "занятий списывается с сертификата помесячно.",
        links.contract(contract_id))


def contract_terminated(contract_id: uuid.UUID, number: str | None, program: str | None, on: date,
                        reason: str | None) -> Message:
    return Message(
        f"{_contract(number)} расторгнут",
        f"{_sentence(f'Договор об обучении {_by_program(program)} расторгнут с {day(on)}')}{_reason(reason)} "
        "Неизрасходованные средства вернутся на сертификат.",
        links.contract(contract_id))


def funds_debited(contract_id: uuid.UUID, number: str | None, program: str | None, month_: str,
                  amount_kop: int) -> Message:
    by_contract = f" по договору №\u00a0{number}" if number else ""
    return Message(
        f"Списание с сертификата: {money(amount_kop)}",
        f"За {month(month_)} с сертификата списано {money(amount_kop)}{by_contract} — обучение "
        f"{_by_program(program)}.",
        links.contract(contract_id))


def certificate_activated(certificate_id: uuid.UUID, number: str) -> Message:
    return Message(
        f"Сертификат №\u00a0{number} активирован",
        f"Документы проверены, сертификат №\u00a0{number} активирован. Теперь с ним можно записываться на программы.",
        links.certificate(certificate_id))


def certificate_suspended(certificate_id: uuid.UUID, number: str, reason: str | None) -> Message:
    return Message(
        f"Сертификат №\u00a0{number} приостановлен",
        f"Сертификат №\u00a0{number} приостановлен: новые заявки им не оплачиваются.{_reason(reason)} "
        "Обратитесь в муниципальный опорный центр.",
        links.certificate(certificate_id))


def certificate_reinstated(certificate_id: uuid.UUID, number: str) -> Message:
    return Message(
        f"Сертификат №\u00a0{number} снова действует",
        f"Сертификат №\u00a0{number} снова активен: с ним можно записываться на программы.",
        links.certificate(certificate_id))


def password_reset(token: str, expires: datetime) -> Message:
    return Message(
        "Смена пароля в Навигаторе",
        "Кто-то, возможно вы, попросил сменить пароль вашей учётной записи. Чтобы задать новый пароль, "
        f"откройте ссылку до {moment(expires)}; она действует один раз. Если вы не просили сменить пароль, "
        "ничего не делайте: пароль останется прежним.",
        links.password_reset(token))


# Providers

def application_submitted(application_id: uuid.UUID, program: str | None, decide_by: date | None) -> Message:
    deadline = (f" Примите или отклоните её до {day(decide_by)} включительно, иначе заявка закроется."
                if decide_by else "")
    return Message(
        f"Новая заявка{_named(program)}",
        f"Семья подала заявку на {_program(program)}.{deadline}",
        links.provider_application(application_id))


def decision_due(application_id: uuid.UUID, program: str | None, decide_by: date) -> Message:
    return Message(
        f"Срок решения по заявке — {day(decide_by)}",
        f"Заявка на {_program(program)} ждёт вашего решения. Последний день — {day(decide_by)}: "
        "заявка без решения закроется, и семья получит отказ.",
        links.provider_application(application_id))


def application_cancelled(application_id: uuid.UUID, program: str | None) -> Message:
    return Message(
        f"Заявка отозвана{_named(program)}",
        f"Семья отозвала заявку на {_program(program)}. Если за ней было место в группе, оно освобождено.",
        links.provider_application(application_id))


def invoice_issued(invoice_id: uuid.UUID, number: str, month_: str, charges_kop: int, advance_kop: int,
                   carried_in_kop: int, settlement_kop: int) -> Message:
    lines = [_sentence(f"Выставлен счёт №\u00a0{number} за {month(month_)}"), f"Начислено за занятия: {money(charges_kop)}."]
    if advance_kop:
        lines.append(f"Выплачен аванс: {money(advance_kop)}.")
    if carried_in_kop:
        lines.append(f"Перенесено с прошлого месяца: {money(carried_in_kop)}.")
    lines.append(f"К оплате: {money(settlement_kop)}." if settlement_kop >= 0 else
                 f"К оплате ничего: аванс больше начисленного на {money(-settlement_kop)}, разница учтётся "
                 "в следующем месяце.")
    return Message(f"Счёт №\u00a0{number} за {month(month_)}", " ".join(lines), links.provider_invoice(invoice_id))


def advance_granted(month_: str, amount_kop: int, limit_kop: int) -> Message:
    return Message(
        f"Аванс за {month(month_)}: {money(amount_kop)}",
        f"Аванс за {month(month_)} предоставлен: {money(amount_kop)} (можно было до {money(limit_kop)}). "
        "Счёт за этот месяц уменьшится на сумму аванса.",
        links.provider_advances())


# Operators

def operator_digest(certificates: list[str], providers: list[str], shown: int = 20) -> Message:
    """The day's digest: certificate numbers awaiting verification, providers awaiting approval."""
    def listed(labels: list[str]) -> str:
        more = len(labels) - shown
        return ", ".join(labels[:shown]) + (f" и ещё {more}" if more > 0 else "")

    parts, lines = [], []
    if certificates:
        n = len(certificates)
        parts.append(plural(n, CERTIFICATES))
        lines.append(f"{plural(n, CERTIFICATES)} {_agrees(n, 'ждёт', 'ждут')} проверки документов: "
                     f"{listed(certificates)}.")
    if providers:
        n = len(providers)
        parts.append(plural(n, PROVIDERS))
        lines.append(f"{plural(n, PROVIDERS)} {_agrees(n, 'ждёт', 'ждут')} допуска в реестр: {listed(providers)}.")
    return Message(f"Ждут проверки: {', '.join(parts)}", "\n".join(lines), links.operator_queue())


def region_digest(providers: list[str], shown: int = 20) -> Message:
    """The region's day: the providers awaiting approval into the registry (approving is the region's)."""
    return operator_digest([], providers, shown)


def _debit(month_: str, program: str | None) -> str:
    return f"списание за {month(month_)} (обучение {_by_program(program)})"


def dispute_opened(dispute_id: uuid.UUID, month_: str, program: str | None, debited_kop: int, reason: str | None,
                   answer_due: date) -> Message:
    return Message(
        f"Семья оспорила списание: {money(debited_kop)}",
        f"Семья оспорила {_debit(month_, program)} на {money(debited_kop)}.{_reason(reason)} Ответьте до "
        f"{day(answer_due)}: согласитесь полностью, частично или объясните несогласие; после этого дня спор "
        "решит оператор муниципалитета.",
        links.provider_dispute(dispute_id))


def dispute_answered(dispute_id: uuid.UUID, month_: str, program: str | None, answer: str, reversal_kop: int,
                     comment: str | None) -> Message:
    said = {"agree_full": "согласился полностью", "agree_part": "согласился частично",
            "disagree": "не согласился"}[answer]
    back = f" На сертификат вернётся {money(reversal_kop)}." if reversal_kop else ""
    rest = "" if answer == "agree_full" else " Остальное решит оператор муниципалитета."
    return Message(f"Ответ на спор о списании: организатор {said}",
                   f"Организатор {said} со спором о {_debit(month_, program)}.{_reason(comment)}{back}{rest}",
                   links.dispute(dispute_id))


def dispute_decided(dispute_id: uuid.UUID, month_: str, program: str | None, reversal_kop: int,
                    reversed_kop: int, comment: str | None) -> Message:
    back = (f"на сертификат вернётся ещё {money(reversal_kop)}" if reversal_kop
            else "дополнительного возврата нет")
    return Message("Решение по спору о списании",
                   f"Оператор муниципалитета решил спор о {_debit(month_, program)}: {back}; всего по спору "
                   f"возвращено {money(reversed_kop)}.{_reason(comment)}", links.dispute(dispute_id))


def dispute_escalated(dispute_id: uuid.UUID, month_: str, program: str | None, open_kop: int) -> Message:
    return Message(f"Спор о списании ждёт решения: {money(open_kop)}",
                   f"Организатор не вернул всё по спору семьи о {_debit(month_, program)}: спорный остаток "
                   f"{money(open_kop)} решает оператор муниципалитета-плательщика.",
                   links.operator_dispute(dispute_id))
