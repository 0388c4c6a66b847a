"""An invoice as a file: CSV (UTF-8 with BOM and `;`, as Russian Excel expects) or XLSX. These
are the other two formats of `GET /invoices/{id}` beside the JSON of `schemas.py`, so they live
with the routes; the rendering is pure (an invoice and its lines in, bytes out)."""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

HEADER = ["Договор", "Программа", "Сертификат", "Занятий по плану", "Посещено", "Доля сертификата, ₽",
          "Начислено, ₽"]


def rubles(kop: int) -> str:
    sign = "-" if kop < 0 else ""
    return f"{sign}{abs(kop) // 100}.{abs(kop) % 100:02d}"


def _decimal(kop: int) -> Decimal:
    return Decimal(kop).scaleb(-2)  # exact rubles for the spreadsheet, never a float


def _summary(invoice) -> list[tuple[str, int]]:
    return [("Итого начислено", invoice.charges_kop), ("Аванс", invoice.advance_kop),
            ("Перенесено с прошлых месяцев", invoice.carried_in_kop),
            ("Корректировки (возвраты по спорам)", -invoice.corrections_kop), ("К расчёту", invoice.settlement_kop)]


def _payer(invoice) -> list[str]:
    """The payer's name for the file's heading (an invoice is to one payer municipality)."""
    name = getattr(invoice, "payer_name", None)
    return [f"Плательщик: {name}"] if name else []


def _line(line) -> list:
    return [line.contract_number, line.program_title, str(line.certificate_id), line.planned_lessons,
            line.attended_lessons, line.share_kop, line.charged_kop]


def as_csv(invoice, lines: Sequence) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([f"Счёт {invoice.number}", f"за {invoice.month}", invoice.provider_name, *_payer(invoice)])
    w.writerow(HEADER)
    for line in lines:
        row = _line(line)
        w.writerow(row[:5] + [rubles(row[5]), rubles(row[6])])
    for title, kop in _summary(invoice):
        w.writerow([title, "", "", "", "", "", rubles(kop)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(invoice, lines: Sequence) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = invoice.month
    sheet.append([f"Счёт {invoice.number} за {invoice.month}", invoice.provider_name, *_payer(invoice)])
    sheet["A1"].font = Font(bold=True)
    sheet.append(HEADER)
    for line in lines:
        row = _line(line)
        sheet.append(row[:5] + [_decimal(row[5]), _decimal(row[6])])
    for title, kop in _summary(invoice):
        sheet.append([title, None, None, None, None, None, _decimal(kop)])
    for column in ("F", "G"):
        for cell in sheet[column][2:]:
            cell.number_format = "#,##0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
