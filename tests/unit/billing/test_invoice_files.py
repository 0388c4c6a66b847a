"""Invoice files for accountants: the sums are exact in both formats."""
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import load_workbook

from services.billing.api.invoice_files import as_csv, as_xlsx, rubles


@dataclass
class Inv:
    number: str = "СЧ-2026-09-000001"
    month: str = "2026-09"
    provider_name: str = "ДЮСШ «Старт»"
    charges_kop: int = 180_01
    advance_kop: int = 480_00
    carried_in_kop: int = -5
    corrections_kop: int = 0
    settlement_kop: int = 180_01 - 480_00 - 5


@dataclass
class Line:
    contract_number: str = "ДС-2026-000001"
    program_title: str = "Шахматы"
    certificate_id: uuid.UUID = uuid.UUID(int=7)
    planned_lessons: int = 5
    attended_lessons: int = 3
    share_kop: int = 300_02
    charged_kop: int = 180_01


def test_rubles_are_exact_with_the_sign():
    assert [rubles(k) for k in (0, 5, 180_01, -300_04, -5)] == ["0,00", "0,05", "180,01", "-300,04", "-0,05"]


def test_csv_opens_in_russian_excel_with_every_total():
    text = as_csv(Inv(), [Line()]).decode("utf-8")
    assert text.startswith("\ufeff") and ";" in text
    assert "ДС-2026-000001;Шахматы" in text and "К расчёту;;;;;;-300,04" in text


def test_xlsx_holds_decimal_rubles_not_floats():
    rows = list(load_workbook(io.BytesIO(as_xlsx(Inv(), [Line()]))).active.iter_rows(values_only=True))
    assert rows[2][:5] == ("ДС-2026-000001", "Шахматы", str(uuid.UUID(int=7)), 5, 3)
    assert Decimal(str(rows[2][6])) == Decimal("180.01")
    assert rows[-1][0] == "К расчёту" and Decimal(str(rows[-1][6])) == Decimal("-300.04")


def test_a_correction_is_a_row_of_its_own_and_lowers_the_settlement():
    invoice = Inv(corrections_kop=60_00, settlement_kop=180_01 - 480_00 - 5 - 60_00)
    text = as_csv(invoice, [Line()]).decode("utf-8")
    assert "Корректировки (возвраты по спорам);;;;;;-60,00" in text and "К расчёту;;;;;;-360,04" in text
