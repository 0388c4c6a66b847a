"""The kit's PDF documents: the markup's blocks, Cyrillic that survives extraction, the same bytes
for the same input (a stored document's hash can be checked by rendering it again, also after the
renderer's code changed: a recorded document), no rendered document left to the cycle collector, the
font cut outside the service's process, and a clear refusal when the font is not installed."""
from __future__ import annotations

import gc
import hashlib
import io
import subprocess
import sys
from datetime import UTC, datetime
from functools import cache

import pytest
from pypdf import PdfReader

from pfdo_kit.pdf_documents import (
    DocumentFont,
    FontMissing,
    Heading,
    Items,
    Paragraph,
    PdfRenderer,
    Table,
    Title,
    parse,
    plain_text,
)
from services.billing.settings import DEJAVU

# A document recorded with the renderer as it was before its tables' rows were drawn without a
# reference cycle and its font cut in a child process, with Debian's DejaVu 2.37 and fontTools 4.68:
# three pages (a table's heading repeated on each), a word broken where it overflows, figures right-aligned.
RECORDED = ("# Договор-оферта № ДС-2026-000777\n\n"
            "Очень длинное слово: " + "Превысокомногорассмотрительствующий" * 3 + " и обычный текст после него.\n\n"
            "| Месяц | Занятий | Доля сертификата |\n|---|---|---|\n"
            + "".join(f"| месяц {n} | {n % 30} | {n * 1234 // 7:,}\u00a0₽ |\n".replace(",", "\u00a0")
                      for n in range(90))
            + "\n- пункт первый\n- пункт второй, Ӏэпщэ\n")
RECORDED_SHA256 = "0ab38107414de320ff45ee1ecbadd712475b137dec1c14933e318a79e2d3a7f3"
RECORDED_FONT_SHA256 = "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322"

MARKUP = """# Договор-оферта № ДС-2026-000123

## 1. Стороны
Исполнитель: МБУ ДО «ДЮСШ Старт»,
ИНН 0712345678.

| Месяц | Доля сертификата |
|---|---|
| сентябрь 2026\u00a0г. | 1\u00a0234,56\u00a0₽ |

- Ӏэпщэ — буква палочка из кабардинского алфавита
"""
WHEN = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)


@cache
def renderer() -> PdfRenderer:
    return PdfRenderer(DocumentFont.in_directory(DEJAVU))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_markup_s_blocks():
    assert parse(MARKUP) == [
        Title("Договор-оферта № ДС-2026-000123"), Heading("1. Стороны"),
        Paragraph("Исполнитель: МБУ ДО «ДЮСШ Старт», ИНН 0712345678."),
        Table((("Месяц", "Доля сертификата"), ("сентябрь 2026\u00a0г.", "1\u00a0234,56\u00a0₽")), has_heading=True),
        Items(("Ӏэпщэ — буква палочка из кабардинского алфавита",))]
    assert parse("| a | b |\n| c | d |") == [Table((("a", "b"), ("c", "d")), has_heading=False)]
    assert "ИНН 0712345678." in plain_text(MARKUP)


def test_the_same_input_gives_the_same_bytes_and_the_text_reads_back_in_russian():
    first = renderer().render(MARKUP, title="Оферта", created_at=WHEN)
    assert first == renderer().render(MARKUP, title="Оферта", created_at=WHEN)
    assert first.startswith(b"%PDF-")
    text = text_of(first)
    for words in ("Договор-оферта № ДС-2026-000123", "ИНН 0712345678", "1 234,56 ₽", "сентябрь 2026", "Ӏэпщэ",
                  "стр. 1 из 1"):
        assert words in text.replace("\u00a0", " "), (words, text)
    # the creation moment is part of the document: another moment, other bytes
    assert renderer().render(MARKUP, title="Оферта", created_at=datetime(2026, 9, 2, tzinfo=UTC)) != first


def test_a_long_document_numbers_its_pages():
    long = MARKUP + "\n".join(f"\nАбзац {n}: " + "текст договора " * 40 for n in range(40))
    pdf = renderer().render(long, title="Оферта", created_at=WHEN)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 2
    assert f"стр. {len(pages)} из {len(pages)}" in pages[-1].extract_text()


def test_a_missing_font_is_named_with_how_to_install_it(tmp_path):
    with pytest.raises(FontMissing, match="DejaVuSans.ttf.*fonts-dejavu-core"):
        DocumentFont.in_directory(tmp_path)
    with pytest.raises(ValueError):
        renderer().render(MARKUP, title="x", created_at=datetime(2026, 9, 1))  # a naive moment


def test_a_recorded_document_renders_to_the_same_bytes():
    font = DocumentFont.in_directory(DEJAVU)
    if hashlib.sha256(font.regular.read_bytes()).hexdigest() != RECORDED_FONT_SHA256:
        pytest.skip("another DejaVu than the one the document was recorded with")
    pdf = renderer().render(RECORDED, title="Проверка", created_at=datetime(2026, 9, 1, 9, 30, tzinfo=UTC))
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 3
    assert hashlib.sha256(pdf).hexdigest() == RECORDED_SHA256


def test_a_rendered_document_is_freed_at_once_not_left_to_the_cycle_collector():
    renderer().render(RECORDED, title="Проверка", created_at=WHEN)  # warm: what is made once is made
    gc.collect()
    gc.disable()
    try:
        renderer().render(RECORDED, title="Проверка", created_at=WHEN)
        assert gc.collect() == 0, "a reference cycle kept the document until the collector's full pass"
    finally:
        gc.enable()


def test_the_font_is_cut_in_a_child_process_and_the_subsetter_stays_out_of_this_one():
    code = ("import sys; from pfdo_kit.pdf_documents import DocumentFont, PdfRenderer; "
            f"PdfRenderer(DocumentFont.in_directory({str(DEJAVU)!r})); "
            "print(sorted(m for m in sys.modules if m.startswith('fontTools.subset')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
