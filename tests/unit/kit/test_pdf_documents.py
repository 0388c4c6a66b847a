"""The kit's PDF documents: the markup's blocks, Cyrillic that survives extraction, the same bytes
for the same input (a stored document's hash can be checked by rendering it again), and a clear
refusal when the font is not installed."""
from __future__ import annotations

import io
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
