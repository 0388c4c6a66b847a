"""The reports as files (`pfdo_kit.tables`): the month's reconciliation, the register of contracts
and the register of payments, flattened into one table each with Russian headers. Pure: the
answers of `schemas.py` in, a `Table` out."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from pfdo_kit.municipalities import Municipality
from pfdo_kit.tables import Table
from services.billing.api.schemas import (
    ContractRegisterRow,
    InvoiceOut,
    PayerReconciliation,
    PaymentsOut,
    ReconciliationOut,
)

Local = Callable[[datetime], datetime]  # a moment in the installation's time (`clock.local`)
REGION = "Весь регион"
CLOSE_WORDS = {"charging": "начисление", "posting": "отправка списаний", "posted": "ждём подтверждений",
               "closed": "закрыт", "not_requested": "не запрашивалось"}
CONTRACT_WORDS = {"draft": "черновик", "offered": "оферта", "signed": "подписан", "terminated": "расторгнут",
                  "void": "прекращён"}


def payer_name(municipalities: Sequence[Municipality], code: str | None) -> str:
    """A payer's name (its code if the installation does not know it); None: the whole region."""
    if code is None:
        return REGION
    return next((m.name for m in municipalities if m.code == code), code)


def _whose(municipalities: Sequence[Municipality], code: str | None) -> list[str]:
    return [f"Плательщик: {payer_name(municipalities, code)}" if code else REGION]


# --- the reconciliation

RECONCILIATION_HEADER = [
    "Строка", "Плательщик", "Организатор", "Договор", "Закрытие месяца", "Зачислено, ₽", "Зарезервировано, ₽",
    "Возвращено из резерва, ₽", "Сгорело, ₽", "Списано с сертификатов, ₽", "Возвращено по спорам, ₽",
    "Списано в счетах, ₽", "Корректировки, ₽", "Корректировки, ещё не учтённые счетами, ₽", "Авансы, ₽",
    "Итог счетов, ₽", "К оплате, ₽", "Переносимый долг, ₽", "Сходится"]
RECONCILIATION_MONEY = frozenset(range(5, 18))
_BLANK_MOVES = [None] * 4  # credited, reserved, released, expired: the payer's totals only
_BLANK_SETTLED = [None] * 5  # pending corrections, advances, settled, payable, carried out


def _payer_rows(p: PayerReconciliation, label: str) -> list[list]:
    total = ["Итого", label, None, None, CLOSE_WORDS.get(p.close_status, p.close_status), p.credited_kop,
             p.reserved_kop, p.released_kop, p.expired_kop, p.debited_kop, p.reversed_kop, p.invoiced_kop,
             p.corrections_kop, p.corrections_pending_kop, p.advanced_kop, p.settled_kop, p.payable_kop,
             p.carried_out_kop, p.balanced]
    providers = [["Организатор", label, r.provider_name or str(r.provider_id), None, None, *_BLANK_MOVES,
                  r.debited_kop, r.reversed_kop, r.invoiced_kop, r.corrections_kop, *_BLANK_SETTLED, r.balanced]
                 for r in p.providers]
    differences = [["Расходится договор", label, None, d.contract_number or str(d.contract_id), None,
                    *_BLANK_MOVES, d.debited_kop, d.reversed_kop, d.invoiced_kop, d.corrected_kop, *_BLANK_SETTLED,
                    False] for d in p.differences]
    return [total, *providers, *differences]


def reconciliation_table(out: ReconciliationOut, municipalities: Sequence[Municipality]) -> Table:
    """The totals, each provider and each differing contract; the region's, then each payer's."""
    rows = _payer_rows(out, payer_name(municipalities, out.municipality))
    for payer in out.payers:
        rows += _payer_rows(payer, payer_name(municipalities, payer.municipality))
    title = [[f"Сверка за {out.month}"], _whose(municipalities, out.municipality),
             [f"Сходится: {'да' if out.balanced else 'нет'}"]]
    return Table(RECONCILIATION_HEADER, rows, title, RECONCILIATION_MONEY, sheet=f"Сверка {out.month}")


# --- the register of contracts

CONTRACTS_HEADER = ["Номер договора", "Статус", "Плательщик", "ФИО ребёнка", "Номер сертификата", "Организатор",
                    "Программа", "Группа", "Начало", "Окончание", "Удерживается, ₽", "Списано, ₽",
                    "Возвращено на сертификат, ₽", "Подписан"]
CONTRACTS_MONEY = frozenset({10, 11, 12})


def contracts_table(rows: Sequence[ContractRegisterRow], municipalities: Sequence[Municipality],
                    payer: str | None, status: str | None, local: Local) -> Table:
    lines = [[r.number, CONTRACT_WORDS.get(r.status, r.status), payer_name(municipalities, r.payer),
              r.child_full_name, r.certificate_number, r.provider_name, r.program_title, r.group_name, r.starts_on,
              r.ends_on, r.reserved_kop, r.charged_kop, r.released_kop,
              local(r.signed_at) if r.signed_at else r.signed_on] for r in rows]
    totals = ["Итого", f"договоров: {len(rows)}", *[None] * 8, sum(r.reserved_kop for r in rows),
              sum(r.charged_kop for r in rows), sum(r.released_kop for r in rows), None]
    title = [["Реестр договоров"], _whose(municipalities, payer)]
    if status is not None:
        title.append([f"Статус: {CONTRACT_WORDS.get(status, status)}"])
    return Table(CONTRACTS_HEADER, [*lines, totals], title, CONTRACTS_MONEY, sheet="Договоры")


# --- the register of payments

PAYMENTS_HEADER = ["Плательщик", "Организатор", "Номер счёта", "Списания, ₽", "Аванс, ₽", "Перенесённый долг, ₽",
                   "Корректировки (возвраты по спорам), ₽", "К расчёту, ₽", "Выставлен"]
PAYMENTS_MONEY = frozenset(range(3, 8))


def _invoice_row(i: InvoiceOut, local: Local) -> list:
    return [i.payer_name, i.provider_name, i.number, i.charges_kop, i.advance_kop, i.carried_in_kop,
            i.corrections_kop, i.settlement_kop, local(i.issued_at)]


def payments_table(out: PaymentsOut, municipalities: Sequence[Municipality], local: Local) -> Table:
    t = out.totals
    totals = ["Итого", f"счетов: {t.invoices}", None, t.charges_kop, t.advance_kop, t.carried_in_kop,
              t.corrections_kop, t.settlement_kop, None]
    payable = ["К оплате организаторам", None, None, None, None, None, None, t.payable_kop, None]
    carried = ["Долги организаторов на следующий месяц", None, None, None, None, None, None, t.carried_out_kop, None]
    title = [[f"Реестр платежей за {out.month}"], _whose(municipalities, out.municipality)]
    return Table(PAYMENTS_HEADER, [*(_invoice_row(i, local) for i in out.items), totals, payable, carried], title,
                 PAYMENTS_MONEY, sheet=f"Платежи {out.month}")
