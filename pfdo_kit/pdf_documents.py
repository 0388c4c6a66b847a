"""Documents people sign or keep, as PDF: a small markup (what a document template writes) laid
out on A4 with an embedded TrueType font that has Cyrillic (fpdf2, the font subset to the glyphs
used).

The markup, one block after another, blocks separated by blank lines:

    # Title                     centred, bold
    ## Heading                  bold
    A paragraph: its lines are joined with spaces.
    - an item                   one line each, with a bullet
    | a | b |                   consecutive rows make a table; a `|---|---|` row right after the
    |---|---|                   first row makes that row the table's heading

Rendering is deterministic: the same markup, title and creation moment give the same bytes (no
clock, no random ids: fpdf2's file id is a hash of the content and the creation moment, its font
subset tag is fixed), so a stored document's hash can be checked by rendering it again.
"""
from __future__ import annotations

import atexit
import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont
from fpdf import FPDF

FAMILY = "document"
# What a Russian document may hold: Latin with Latin-1 and Extended-A, Cyrillic with its supplement
# (the republics' letters: Ӏ), general punctuation, currency (₽), №, the minus sign and bullets.
# Fewer glyphs are faster to load for every document.
CHARACTERS = (*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x400, 0x530), *range(0x2000, 0x2070),
              *range(0x20A0, 0x20C1), 0x2116, 0x2212, 0x25A0, 0x25CF)
NUMERIC = re.compile(r"^[\d\s\u00a0.,:%₽−+\-]+$")  # a cell of figures: right-aligned in its column


class FontMissing(RuntimeError):
    """The document font is not installed where the settings say."""


@dataclass(frozen=True)
class DocumentFont:
    regular: Path
    bold: Path

    @classmethod
    def in_directory(cls, directory: str | Path, regular: str = "DejaVuSans.ttf",
                     bold: str = "DejaVuSans-Bold.ttf") -> DocumentFont:
        """The font's two files in `directory`; FontMissing names what is absent and how to get it."""
        font = cls(Path(directory) / regular, Path(directory) / bold)
        missing = [str(p) for p in (font.regular, font.bold) if not p.is_file()]
        if missing:
            raise FontMissing(f"document font file(s) missing: {', '.join(missing)} — install Debian's "
                              "fonts-dejavu-core (apt-get install fonts-dejavu-core) or point the setting "
                              "to a directory holding them")
        return font

    def trimmed(self, directory: Path) -> DocumentFont:
        """The same font cut to CHARACTERS, written into `directory`: fpdf2 reads the font anew for
        every document, and the whole DejaVu (6 000 glyphs) made that most of a document's time.
        fontTools' subsetter is deterministic: the same font file gives the same bytes."""
        logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" is harmless
        paths = []
        for source in (self.regular, self.bold):
            font = TTFont(source, recalcTimestamp=False)
            options = subset.Options()
            options.name_IDs, options.layout_features, options.notdef_outline = ["*"], ["*"], True
            cutter = subset.Subsetter(options)
            cutter.populate(unicodes=CHARACTERS)
            cutter.subset(font)
            paths.append(directory / source.name)
            font.save(paths[-1])
        return DocumentFont(*paths)


@dataclass(frozen=True)
class Title:
    text: str


@dataclass(frozen=True)
class Heading:
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Items:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    has_heading: bool


Block = Title | Heading | Paragraph | Items | Table


def _cells(line: str) -> tuple[str, ...]:
    return tuple(cell.strip() for cell in line.strip().strip("|").split("|"))


def _is_rule(line: str) -> bool:
    return bool(re.fullmatch(r"\|?(\s*:?-{3,}:?\s*\|)+\s*:?-{0,}:?\s*\|?", line.strip()))


def parse(markup: str) -> list[Block]:
    """The blocks of a markup text, in order."""
    blocks: list[Block] = []
    lines = [line.rstrip() for line in markup.splitlines()]
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
        elif line.startswith("# "):
            blocks.append(Title(line[2:].strip()))
            i += 1
        elif line.startswith("## "):
            blocks.append(Heading(line[3:].strip()))
            i += 1
        elif line.lstrip().startswith("|"):
            rows, has_heading = [], False
            while i < len(lines) and lines[i].lstrip().startswith("|"):
                if _is_rule(lines[i]):
                    has_heading = has_heading or len(rows) == 1
                else:
                    rows.append(_cells(lines[i]))
                i += 1
            blocks.append(Table(tuple(rows), has_heading))
        elif line.startswith("- "):
            items = []
            while i < len(lines) and lines[i].startswith("- "):
                items.append(lines[i][2:].strip())
                i += 1
            blocks.append(Items(tuple(items)))
        else:
            words = []
            while i < len(lines) and lines[i].strip() and not lines[i].startswith(("# ", "## ", "- ")) \
                    and not lines[i].lstrip().startswith("|"):
                words.append(lines[i].strip())
                i += 1
            blocks.append(Paragraph(" ".join(words)))
    return blocks


def plain_text(markup: str) -> str:
    """The markup's words without its marks (for logs and tests): one line per block or row."""
    out = []
    for block in parse(markup):
        if isinstance(block, Table):
            out += [" ".join(row) for row in block.rows]
        elif isinstance(block, Items):
            out += list(block.items)
        else:
            out.append(block.text)
    return "\n".join(out)


class _Page(FPDF):
    footer_text = "стр. {page} из {{nb}}"

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, size=8)
        self.cell(0, 6, self.footer_text.format(page=self.page_no()), align="C")


class PdfRenderer:
    """Markup → PDF bytes (A4, 20 mm margins, page numbers «стр. N из M»). Build one per process:
    it keeps a trimmed copy of the font in a directory of its own (removed at exit), which each
    document reads anew (fpdf2 subsets a font in place, so a parsed one cannot be reused)."""

    def __init__(self, font: DocumentFont, *, creator: str = "PFDO") -> None:
        directory = Path(tempfile.mkdtemp(prefix="pfdo-font-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        self.font, self.creator = font.trimmed(directory), creator

    def render(self, markup: str, *, title: str, created_at: datetime) -> bytes:
        """The document; `created_at` (an aware moment) is its creation date, the only time it holds."""
        if created_at.tzinfo is None:
            raise ValueError("created_at must be an aware datetime")
        pdf = _Page(orientation="P", unit="mm", format="A4")
        pdf.set_creation_date(created_at)
        pdf.set_title(title)
        pdf.set_creator(self.creator)
        pdf.set_lang("ru")
        pdf.add_font(FAMILY, "", self.font.regular)
        pdf.add_font(FAMILY, "B", self.font.bold)
        pdf.set_margins(20, 18, 15)
        pdf.set_auto_page_break(True, margin=18)
        pdf.add_page()
        for block in parse(markup):
            _draw(pdf, block)
        return bytes(pdf.output())


TITLE, HEADING, BODY, TABLE = 13, 10.5, 9.5, 9  # font sizes, pt
PAD_X, PAD_Y = 1.5, 1.0  # a table cell's padding, mm


def _lines(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (mm) at spaces, a too-long word at letters.
    Our own greedy breaker, one width lookup per word: fpdf2's multi_cell measured a document's
    text character by character and made most of its render time."""
    space = pdf.get_string_width(" ")
    lines, line, used = [], [], 0.0
    for word in text.split(" "):
        size = pdf.get_string_width(word)
        while size > width and len(word) > 1:  # a word wider than the line: cut it where it overflows
            cut = next(i for i in range(1, len(word) + 1) if pdf.get_string_width(word[:i]) > width) - 1
            if line:
                lines.append(" ".join(line))
                line, used = [], 0.0
            lines.append(word[:max(cut, 1)])
            word = word[max(cut, 1):]
            size = pdf.get_string_width(word)
        if line and used + space + size > width:
            lines.append(" ".join(line))
            line, used = [], 0.0
        used += (space if line else 0.0) + size
        line.append(word)
    lines.append(" ".join(line))
    return lines


def _write(pdf: FPDF, lines: list[str], height: float, align: str = "L", indent: float = 0.0) -> None:
    """Lines one under another from the left margin (+ indent); a full page turns to the next."""
    for line in lines:
        pdf.set_x(pdf.l_margin + indent)
        pdf.cell(pdf.epw - indent, height, line, align=align, new_x="LMARGIN", new_y="NEXT")


def _draw(pdf: FPDF, block: Block) -> None:
    if isinstance(block, Title):
        pdf.set_font(FAMILY, "B", TITLE)
        _write(pdf, _lines(pdf, block.text, pdf.epw), 6.5, align="C")
        pdf.ln(3)
    elif isinstance(block, Heading):
        pdf.ln(1.5)
        pdf.set_font(FAMILY, "B", HEADING)
        _write(pdf, _lines(pdf, block.text, pdf.epw), 5.5)
        pdf.ln(1)
    elif isinstance(block, Paragraph):
        pdf.set_font(FAMILY, "", BODY)
        _write(pdf, _lines(pdf, block.text, pdf.epw), 4.8)
        pdf.ln(1.5)
    elif isinstance(block, Items):
        pdf.set_font(FAMILY, "", BODY)
        for item in block.items:
            if pdf.will_page_break(4.8):
                pdf.add_page()
            pdf.cell(5, 4.8, "•")
            pdf.set_x(pdf.l_margin)
            _write(pdf, _lines(pdf, item, pdf.epw - 5), 4.8, indent=5)
        pdf.ln(1.5)
    else:
        _draw_table(pdf, block)


def _column_widths(natural: list[float], minimum: list[float], room: float) -> list[float]:
    """Columns as wide as their text when it fits the room, the extra shared out; otherwise the
    narrow ones keep their width and the wide ones share what is left in proportion to their text."""
    if sum(natural) <= room:
        extra = (room - sum(natural)) / len(natural)
        return [w + extra for w in natural]
    widths, fixed = list(natural), set()
    while True:
        free = [c for c in range(len(widths)) if c not in fixed]
        left = room - sum(widths[c] for c in fixed)
        share = {c: left * natural[c] / sum(natural[c] for c in free) for c in free}
        narrow = [c for c in free if natural[c] <= share[c]]
        if not narrow:
            for c in free:
                widths[c] = max(share[c], minimum[c])
            return widths
        fixed.update(narrow)


def _draw_table(pdf: FPDF, table: Table) -> None:
    if not table.rows:
        return
    count = max(len(row) for row in table.rows)
    rows = [row + ("",) * (count - len(row)) for row in table.rows]
    heading = rows[0] if table.has_heading else None
    body = rows[1:] if table.has_heading else rows
    right = [bool(body) and all(not row[c] or NUMERIC.match(row[c]) for row in body) for c in range(count)]

    def width_of(text: str, bold: bool) -> float:
        pdf.set_font(FAMILY, "B" if bold else "", TABLE)
        return pdf.get_string_width(text)

    natural = [max(width_of(row[c], row is heading) for row in rows) + 2 * PAD_X for c in range(count)]
    longest = [max(width_of(word, row is heading) for row in rows for word in row[c].split(" ")) + 2 * PAD_X
               for c in range(count)]
    widths = _column_widths(natural, longest, pdf.epw)
    line = 4.4

    def draw_row(cells: tuple[str, ...], bold: bool) -> None:
        pdf.set_font(FAMILY, "B" if bold else "", TABLE)
        broken = [_lines(pdf, text, widths[c] - 2 * PAD_X) for c, text in enumerate(cells)]
        height = max(len(lines) for lines in broken) * line + 2 * PAD_Y
        if pdf.will_page_break(height):
            pdf.add_page()
            if heading is not None and not bold:
                draw_row(heading, True)
                pdf.set_font(FAMILY, "", TABLE)
        x, y = pdf.l_margin, pdf.get_y()
        for c, lines in enumerate(broken):
            pdf.rect(x, y, widths[c], height, style="DF" if bold else "D")
            for n, text in enumerate(lines):
                pdf.set_xy(x + PAD_X, y + PAD_Y + n * line)
                pdf.cell(widths[c] - 2 * PAD_X, line, text, align="R" if right[c] and not bold else "L")
            x += widths[c]
        pdf.set_xy(pdf.l_margin, y + height)

    pdf.set_draw_color(150, 150, 150)
    pdf.set_fill_color(235, 235, 235)
    pdf.set_line_width(0.2)
    for row in rows:
        draw_row(row, row is heading)
    pdf.ln(2.5)
