"""A table as a file for accountants: Russian Excel's CSV, XLSX with exact money, a safe download name."""
import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

from openpyxl import load_workbook

from pfdo_kit.tables import (
    MONEY_FORMAT,
    Table,
    as_csv,
    as_xlsx,
    ascii_filename,
    content_disposition,
    file_response,
    rubles,
)

TABLE = Table(header=["Организатор", "Счёт", "Сумма, ₽", "Выставлен", "Сходится"],
              rows=[["ДЮСШ «Старт»", "СЧ-1", 180_01, datetime(2026, 10, 5, 12, 30, tzinfo=UTC), True],
                    ["Школа; искусств", "СЧ-2", -5, date(2026, 10, 6), False],
                    ["Итого", None, 179_96, None, None]],
              title=[["Реестр платежей за 2026-09"], ["Плательщик: Чегемский муниципальный район"]],
              money=frozenset({2}), sheet="Платежи 2026-09")


def test_rubles_are_exact_with_the_sign():
    assert [rubles(k) for k in (0, 5, 180_01, -300_04, -5)] == ["0,00", "0,05", "180,01", "-300,04", "-0,05"]


def test_csv_is_what_russian_excel_opens_and_the_csv_module_reads_back():
    raw = as_csv(TABLE)
    assert raw.startswith("\ufeff".encode()) and b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["Реестр платежей за 2026-09"] and rows[2] == TABLE.header
    assert rows[3] == ["ДЮСШ «Старт»", "СЧ-1", "180,01", "2026-10-05 12:30", "да"]
    assert rows[4] == ["Школа; искусств", "СЧ-2", "-0,05", "2026-10-06", "нет"]  # the `;` is quoted
    assert rows[5] == ["Итого", "", "179,96", "", ""]
    assert sum(Decimal(r[2].replace(",", ".")) for r in rows[3:5]) == Decimal(rows[5][2].replace(",", "."))


def test_xlsx_money_is_decimal_rubles_formatted_and_the_heading_bold():
    book = load_workbook(io.BytesIO(as_xlsx(TABLE)))
    sheet = book.active
    assert sheet.title == "Платежи 2026-09"
    assert [c.value for c in sheet[3]] == TABLE.header
    assert all(c.font.bold for c in sheet[1] if c.value) and all(c.font.bold for c in sheet[3])
    assert not sheet["A4"].font.bold
    money = [sheet.cell(row=r, column=3) for r in (4, 5, 6)]
    assert [c.number_format for c in money] == [MONEY_FORMAT] * 3
    assert [Decimal(str(c.value)) for c in money] == [Decimal("180.01"), Decimal("-0.05"), Decimal("179.96")]
    assert sheet["D4"].value == datetime(2026, 10, 5, 12, 30) and sheet["E4"].value == "да"
    assert sheet["B6"].value is None


def test_xlsx_writes_decimals_not_floats():
    """What openpyxl is handed is a Decimal: the file stores its digits, never a binary float's."""
    import zipfile
    sheet_xml = zipfile.ZipFile(io.BytesIO(as_xlsx(Table(["x"], [[1_000_000_000_01]], money=frozenset({0}))))) \
        .read("xl/worksheets/sheet1.xml").decode()
    assert "<v>1000000000.01</v>" in sheet_xml


def test_a_download_name_is_ascii_with_the_russian_one_beside_it():
    assert ascii_filename("reconciliation-2026-09-chegem.csv") == "reconciliation-2026-09-chegem.csv"
    assert ascii_filename("Сверка 2026-09.csv") == "2026-09.csv"
    header = content_disposition("payments-2026-09-chegem.xlsx", "Реестр платежей.xlsx")
    assert header.startswith('attachment; filename="payments-2026-09-chegem.xlsx"; filename*=UTF-8\'\'')
    assert header.encode("latin-1") and "%D0%A0" in header  # a header is Latin-1; the Russian name percent-encoded


INJECTED = Table(header=["Организатор", "Сумма, ₽"],
                 rows=[[t, -12_05] for t in ("=HYPERLINK(\"http://x\",\"жми\")", "+1", "-2", "@SUM(A1)",
                                             "\tтаб", "\rcr", "ДЮСШ = школа")],
                 title=[["=1+1"]], money=frozenset({1}))


def test_csv_keeps_a_formula_looking_text_as_text_and_money_is_not_touched():
    rows = list(csv.reader(io.StringIO(as_csv(INJECTED).decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["'=1+1"]
    assert [r[0] for r in rows[2:]] == ["'=HYPERLINK(\"http://x\",\"жми\")", "'+1", "'-2", "'@SUM(A1)", "'\tтаб",
                                        "'\rcr", "ДЮСШ = школа"]
    assert {r[1] for r in rows[2:]} == {"-12,05"}  # a negative amount stays a number


def test_xlsx_never_stores_a_text_as_a_formula():
    import zipfile
    raw = as_xlsx(INJECTED)
    assert "<f>" not in zipfile.ZipFile(io.BytesIO(raw)).read("xl/worksheets/sheet1.xml").decode()
    sheet = load_workbook(io.BytesIO(raw)).active
    assert sheet["A1"].value == "=1+1" and sheet["A1"].data_type == "s"
    assert sheet["A3"].value == "=HYPERLINK(\"http://x\",\"жми\")" and sheet["A3"].data_type == "s"
    assert Decimal(str(sheet["B3"].value)) == Decimal("-12.05") and sheet["B3"].data_type == "n"


async def test_a_file_response_carries_its_type_and_name():
    r = await file_response(TABLE, "csv", "payments-2026-09-chegem")
    assert r.media_type.startswith("text/csv") and r.body.startswith("\ufeff".encode())
    assert 'filename="payments-2026-09-chegem.csv"' in r.headers["content-disposition"]
    x = await file_response(TABLE, "xlsx", "payments-2026-09-chegem", "Реестр платежей")
    assert x.media_type.endswith("spreadsheetml.sheet") and x.body[:2] == b"PK"
