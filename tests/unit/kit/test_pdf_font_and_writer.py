"""The PDF writer's parts: the font read once and cut per document to the glyphs it uses (composite
glyphs with their parts, ids kept, a valid TrueType file with correct checksums), a character the
font lacks drawn as .notdef without failing, and the file's structure (fonts embedded as subsets
with a ToUnicode map, the document's information in Russian)."""
from __future__ import annotations

import io
import re
import zlib
from datetime import UTC, datetime, timedelta, timezone
from functools import cache

from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pfdo_kit.pdf_documents import DocumentFont, PdfRenderer
from pfdo_kit.pdf_font import EmbeddableFont
from pfdo_kit.pdf_writer import PdfDocument
from services.billing.settings import DEJAVU

WHEN = datetime(2026, 9, 1, 9, 30, tzinfo=timezone(timedelta(hours=3)))


@cache
def renderer() -> PdfRenderer:
    return PdfRenderer(DocumentFont.in_directory(DEJAVU))


def regular() -> EmbeddableFont:
    return renderer()._faces[""]


def test_a_subset_keeps_the_used_glyphs_and_the_parts_of_composite_ones():
    font = regular()
    composite = next(gid for gid, parts in font._parts.items() if parts)
    used = {font.glyph_of["Ж"], composite}
    subset = TTFont(io.BytesIO(font.subset(used)), checkChecksums=2)  # a wrong checksum raises
    glyf, order = subset["glyf"], subset.getGlyphOrder()
    assert len(order) == len(font.widths), "glyph ids are kept"
    drawn = {gid for gid, name in enumerate(order) if glyf[name].numberOfContours != 0}
    assert drawn == {gid for gid in font.closure(used) if font._glyphs[gid]}
    assert set(font._parts[composite]) <= drawn and 0 in drawn
    assert font.glyph_of["Я"] not in drawn


def test_widths_and_codes_follow_the_font_and_an_unknown_character_is_notdef():
    font = regular()
    assert font.width("ЖЖ") == 2 * font.widths[font.glyph_of["Ж"]] > 0
    assert font.codes("Ж") == font.glyph_of["Ж"].to_bytes(2, "big")
    assert font.codes("中😀") == b"\0\0\0\0"
    assert font.width("中") == font.widths[0]


def test_remembered_widths_stay_bounded_and_right(monkeypatch):
    """A long-running billing process measures every family's names and numbers: what it remembers of
    them is bounded (100 000 such widths held ~22 MB per font), and a width is the same remembered or not."""
    monkeypatch.setattr("pfdo_kit.pdf_font.KNOWN_WIDTHS", 50)
    font = regular()
    texts = [f"Иванова Мария, сертификат № {n:08d}" for n in range(120)]
    first = [font.width(t) for t in texts]
    assert len(font._known_widths) <= 50
    assert [font.width(t) for t in texts] == first
    assert first[7] == sum(font.widths[font.glyph_of[c]] for c in texts[7])


def test_a_character_the_font_lacks_does_not_break_the_document():
    pdf = renderer().render("Текст 中 и эмодзи 😀 — без падения", title="Проверка", created_at=WHEN)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Текст" in text and "без падения" in text


def test_the_file_embeds_subsets_with_a_unicode_map_and_russian_information():
    pdf = renderer().render("# Оферта\n\nЁлка и й — «кавычки», № 5, 10 ₽", title="Оферта № 1", created_at=WHEN)
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.metadata.title == "Оферта № 1" and reader.metadata.creator == "PFDO"
    assert reader.metadata.creation_date == WHEN
    assert reader.trailer["/Root"]["/Lang"] == "ru"
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = sorted(str(f.get_object()["/BaseFont"]) for f in fonts.values())
    assert [re.fullmatch(r"/[A-Z]{6}\+(DejaVuSans|DejaVuSans-Bold)", n) is not None for n in names] == [True, True]
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Encoding"] == "/Identity-H" and "/ToUnicode" in font
        embedded = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]["/FontFile2"].get_object()
        assert len(embedded.get_data()) < 40_000, "a subset, not the whole font"
    assert "Ёлка и й — «кавычки», № 5, 10 ₽" in reader.pages[0].extract_text()


def test_millimetres_from_the_top_left_become_points_from_the_bottom_left():
    doc = PdfDocument({"regular": regular()}, title="t", creator="c", lang="ru",
                      created_at=datetime(2026, 1, 1, tzinfo=UTC))
    page = doc.add_page()
    doc.rect(page, 10, 20, 30, 40, stroke_gray=0.5, line_mm=0.2, fill_gray=0.9)
    doc.text(page, 10, 20, "regular", 12, "Да")
    content = zlib.decompress(PdfReader(io.BytesIO(doc.output())).pages[0]["/Contents"].get_object()._data)
    assert b"0.9 g 28.35 671.81 85.04 113.39 re B" in content  # 10 mm, 297-20-40 mm, 30 × 40 mm in points
    assert re.search(rb"BT 0 g /F1 12 Tf 28.35 785.2 Td <[0-9a-f]{8}> Tj ET", content)


def test_a_kept_font_embedding_gives_the_bytes_a_fresh_one_gives():
    from pfdo_kit import pdf_writer

    markup = "# Договор\n\nТекст для проверки, Ӏэпщэ.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    pdf_writer._embedding.cache_clear()
    fresh = renderer().render(markup, title="Проверка", created_at=WHEN)
    kept = renderer().render(markup, title="Проверка", created_at=WHEN)
    assert pdf_writer._embedding.cache_info().hits >= 2  # both fonts' embeddings taken as kept
    assert kept == fresh
    other = renderer().render(markup + "\n\nЩука и ёж", title="Проверка", created_at=WHEN)
    assert other != fresh
    assert pdf_writer._embedding.cache_info().misses == 3  # other glyphs in the regular font: its own embedding


def test_a_subset_s_checksum_adjustment_makes_the_file_sum_to_the_magic_number():
    font = regular()
    data = font.subset({font.glyph_of[c] for c in "Договор"})
    words = [int.from_bytes(data[i:i + 4], "big") for i in range(0, len(data) + (-len(data) % 4), 4)]
    assert sum(words) & 0xFFFFFFFF == 0xB1B0AFBA
