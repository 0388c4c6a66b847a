"""A table as a file for accountants: CSV as Russian Excel opens it (UTF-8 with BOM, `;`, CRLF) or
XLSX (money as exact Decimal rubles formatted "#,##0.00", the title lines and the header bold).
The writers are pure (a `Table` in, bytes out); `file_response` answers a route's `format=csv|xlsx`
with the file and a Content-Disposition that survives any browser (an ASCII filename, the Russian
one beside it as `filename*`)."""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

FileFormat = Literal["csv", "xlsx"]
ResponseFormat = Literal["json", "csv", "xlsx"]
FormatQuery = Annotated[ResponseFormat, Query(description=(
    "формат ответа: json; csv — файл для русского Excel (UTF-8 с BOM, разделитель «;»); xlsx — книга Excel "
    "с суммами в рублях"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}
_FILE = {"schema": {"type": "string", "format": "binary"}}
# A route's `responses=`: the 200 may be a file too.
FILE_RESPONSES: dict[int | str, dict[str, Any]] = {200: {"content": {"text/csv": _FILE, XLSX: _FILE}}}
MONEY_FORMAT = "#,##0.00"


@dataclass(frozen=True)
class Table:
    """`title`: lines above the header, each a row of cells; `rows`: cells under the header, kopecks
    (int) in the `money` columns, None for an empty cell. Datetimes are written as given: convert
    them to the installation's time first."""
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    title: Sequence[Sequence[Any]] = ()
    money: frozenset[int] = field(default_factory=frozenset)
    sheet: str = "Лист1"


def rubles(kop: int) -> str:
    """Kopecks as exact rubles with a point: "-300.04"."""
    sign = "-" if kop < 0 else ""
    return f"{sign}{abs(kop) // 100}.{abs(kop) % 100:02d}"


def decimal_rubles(kop: int) -> Decimal:
    return Decimal(kop).scaleb(-2)  # exact, never a float


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, (str, int, float, Decimal, date)) or value is None:
        return value
    return str(value)


def _money_cells(row: Sequence[Any], money: frozenset[int], convert) -> list[Any]:
    return [convert(v) if i in money and isinstance(v, int) else v for i, v in enumerate(row)]


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in table.title:
        w.writerow([_csv_cell(v) for v in line])
    w.writerow(table.header)
    for row in table.rows:
        w.writerow([_csv_cell(v) for v in _money_cells(row, table.money, rubles)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = table.sheet[:31]  # Excel's limit on a sheet's name
    bold = Font(bold=True)
    for line in [*table.title, table.header]:
        sheet.append([_xlsx_cell(v) for v in line])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
    for row in table.rows:
        sheet.append([_xlsx_cell(v) for v in _money_cells(row, table.money, decimal_rubles)])
    first = len(table.title) + 2
    for column in table.money:
        for (cell,) in sheet.iter_rows(min_row=first, min_col=column + 1, max_col=column + 1):
            cell.number_format = MONEY_FORMAT
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ascii_filename(name: str) -> str:
    """What any browser keeps: letters, digits, `.`, `_`, `-`; anything else becomes `-`."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9._-]", "-", name)).strip("-") or "file"


def content_disposition(filename: str, russian: str | None = None) -> str:
    """`attachment` with the ASCII name, and the Russian one (RFC 6266 `filename*`) for browsers that read it."""
    plain = ascii_filename(filename)
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(russian or plain, safe='')}"


def file_response(table: Table, fmt: FileFormat, stem: str, russian_stem: str | None = None) -> Response:
    """The table as `stem.csv` or `stem.xlsx` (`russian_stem`: the name people see where the browser allows)."""
    body = as_csv(table) if fmt == "csv" else as_xlsx(table)
    russian = f"{russian_stem}.{fmt}" if russian_stem else None
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": content_disposition(f"{stem}.{fmt}", russian)})
