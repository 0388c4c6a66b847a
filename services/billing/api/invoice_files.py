"""An invoice as a file: CSV or XLSX (`pfdo_kit.tables`). These are the other two formats of
`GET /invoices/{id}` beside the JSON of `schemas.py`, so they live with the routes; the rendering
is pure (an invoice and its lines in, bytes out)."""
from __future__ import annotations

from collections.abc import Sequence

from pfdo_kit import tables
from pfdo_kit.tables import Table, rubles

__all__ = ["HEADER", "as_csv", "as_xlsx", "rubles"]

HEADER = ["Договор", "Программа", "Сертификат", "Занятий по плану", "Посещено", "Доля сертификата, ₽",
          "Начислено, ₽"]
MONEY = frozenset({5, 6})


def _summary(invoice) -> list[tuple[str, int]]:
    return [("Итого начислено", invoice.charges_kop), ("Аванс", invoice.advance_kop),
            ("Перенесено с прошлых месяцев", invoice.carried_in_kop),
            ("Корректировки (возвраты по спорам)", -invoice.corrections_kop), ("К расчёту", invoice.settlement_kop)]


def _payer(invoice) -> list[str]:
    """The payer's name for the file's heading (an invoice is to one payer municipality)."""
    name = getattr(invoice, "payer_name", None)
    return [f"Плательщик: {name}"] if name else []


def _rows(invoice, lines: Sequence) -> list[list]:
    rows = [[line.contract_number, line.program_title, str(line.certificate_id), line.planned_lessons,
             line.attended_lessons, line.share_kop, line.charged_kop] for line in lines]
    return rows + [[title, None, None, None, None, None, kop] for title, kop in _summary(invoice)]


def as_csv(invoice, lines: Sequence) -> bytes:
    title = [f"Счёт {invoice.number}", f"за {invoice.month}", invoice.provider_name, *_payer(invoice)]
    return tables.as_csv(Table(HEADER, _rows(invoice, lines), [title], MONEY))


def as_xlsx(invoice, lines: Sequence) -> bytes:
    title = [f"Счёт {invoice.number} за {invoice.month}", invoice.provider_name, *_payer(invoice)]
    return tables.as_xlsx(Table(HEADER, _rows(invoice, lines), [title], MONEY, sheet=invoice.month))
