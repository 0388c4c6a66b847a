"""A table as a file for accountants: CSV as Russian Excel opens it (UTF-8 with BOM, `;`, CRLF, money
with a decimal comma) or XLSX (money as exact Decimal rubles formatted "#,##0.00", the title lines and the
header bold). A text cell that a spreadsheet would take for a formula (`=`, `+`, `-`, `@`, TAB, CR first)
is kept as text: CSV prefixes `'`, XLSX stores it as a string.
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
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import quote

from fastapi import Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
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
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
    """Kopecks as exact rubles with a decimal comma, as Russian Excel reads them: "-300,04"."""
    sign = "-" if kop < 0 else ""
    return f"{sign}{abs(kop) // 100},{abs(kop) % 100:02d}"


def decimal_rubles(kop: int) -> Decimal:
    return Decimal(kop).scaleb(-2)  # exact, never a float


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value  # a spreadsheet shows it as typed and never evaluates it
    return value


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "да" if value else "нет"
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, (str, int, float, Decimal, date)) or value is None:
        return value
    return str(value)


def _xlsx_cell(make: type[WriteOnlyCell], sheet, value: Any, *, bold: Font | None = None,
               money: bool = False) -> WriteOnlyCell:
    cell = make(sheet, value=_xlsx_value(value))
    if isinstance(cell.value, str) and looks_like_formula(cell.value):
        cell.data_type = "s"  # openpyxl took it for a formula; stored as a string it is only text
    if bold is not None:
        cell.font = bold
    if money:
        cell.number_format = MONEY_FORMAT
    return cell


def _is_kopecks(value: Any) -> bool:
    """What a money column holds as money (a label or nothing in it stays as it is)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _csv_row(row: Sequence[Any], money: frozenset[int]) -> list[Any]:
    return [rubles(v) if i in money and _is_kopecks(v) else _csv_cell(v) for i, v in enumerate(row)]


def as_csv(table: Table) -> bytes:
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for line in [*table.title, table.header]:
        w.writerow([_csv_cell(v) for v in line])
    for row in table.rows:
        w.writerow(_csv_row(row, table.money))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(table: Table) -> bytes:
    """Written row by row (a write-only book): a register of many thousand rows stays small in memory.
    openpyxl is imported here, at the first file asked for: its ~190 modules (~6 MB) would otherwise sit
    in every process of a service that only now and then writes a spreadsheet."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.sheet[:31])  # Excel's limit on a sheet's name
    bold = Font(bold=True)
    for line in [*table.title, table.header]:
        sheet.append([_xlsx_cell(WriteOnlyCell, sheet, v, bold=bold) for v in line])
    for row in table.rows:
        sheet.append([_xlsx_cell(WriteOnlyCell, sheet,
                                 decimal_rubles(v) if i in table.money and _is_kopecks(v) else v,
                                 money=i in table.money) for i, v in enumerate(row)])
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


def render(table: Table, fmt: FileFormat) -> bytes:
    return as_csv(table) if fmt == "csv" else as_xlsx(table)


async def file_response(table: Table, fmt: FileFormat, stem: str, russian_stem: str | None = None) -> Response:
    """The table as `stem.csv` or `stem.xlsx` (`russian_stem`: the name people see where the browser allows),
    written in a worker thread: a big register never stalls the event loop."""
    body = await run_in_threadpool(render, table, fmt)
    russian = f"{russian_stem}.{fmt}" if russian_stem else None
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": content_disposition(f"{stem}.{fmt}", russian)})
