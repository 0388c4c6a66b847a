"""Documents people sign or keep, as PDF: a small markup (what a document template writes) laid
out on A4 with an embedded TrueType font that has Cyrillic, cut to the glyphs used (the file is
written by `pdf_writer`; the font is parsed once per process by `pdf_font`).

The markup, one block after another, blocks separated by blank lines:

    # Title                     centred, bold
    ## Heading                  bold
    A paragraph: its lines are joined with spaces.
    - an item                   one line each, with a bullet
    | a | b |                   consecutive rows make a table; a `|---|---|` row right after the
    |---|---|                   first row makes that row the table's heading

Rendering is deterministic: the same markup, title and creation moment give the same bytes (no
clock, no random ids: the file id is a hash of the content and the creation moment, the font
subset's tag a hash of its glyphs), so a stored document's hash can be checked by rendering it
again with the same renderer.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pfdo_kit.pdf_font import EmbeddableFont
from pfdo_kit.pdf_writer import PT_PER_MM, PdfDocument

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
        """The same font cut to `pdf_font_trim.CHARACTERS`, written into `directory` by a child process
        (`pdf_font_trim`: fontTools' subsetter stays out of this process's memory)."""
        kit_root = str(Path(__file__).resolve().parents[1])  # the child imports this very kit
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [kit_root, os.environ.get("PYTHONPATH")]))}
        done = subprocess.run([sys.executable, "-m", "pfdo_kit.pdf_font_trim", str(directory), str(self.regular),
                               str(self.bold)], env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise FontMissing(f"the document font could not be cut: {done.stderr.strip()[-500:]}")
        return DocumentFont(directory / self.regular.name, directory / self.bold.name)


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


class PdfRenderer:
    """Markup → PDF bytes (A4, 20 mm margins, page numbers «стр. N из M»). Build one per process:
    it keeps the font cut to what a Russian document may hold (in a directory of its own, removed at exit) and parsed,
    so a document only looks glyphs up and embeds the ones it uses."""

    def __init__(self, font: DocumentFont, *, creator: str = "PFDO") -> None:
        directory = Path(tempfile.mkdtemp(prefix="pfdo-font-"))
        atexit.register(shutil.rmtree, directory, ignore_errors=True)
        self.font, self.creator = font.trimmed(directory), creator
        self._faces = {"": EmbeddableFont.load(self.font.regular), "B": EmbeddableFont.load(self.font.bold)}

    def render(self, markup: str, *, title: str, created_at: datetime) -> bytes:
        """The document; `created_at` (an aware moment) is its creation date, the only time it holds."""
        document = PdfDocument(self._faces, title=title, creator=self.creator, lang="ru", created_at=created_at)
        sheet = _Sheet(document)
        for block in parse(markup):
            _draw(sheet, block)
        sheet.number_pages()
        return document.output()


class _Sheet:
    """The layout's pen on the document: a position in mm from the top-left, the current font, and
    a new page when a line would cross the bottom margin (what the drawing code needs of a page)."""

    l_margin, t_margin, r_margin, b_margin = 20.0, 18.0, 15.0, 18.0
    footer_text = "стр. {page} из {pages}"

    def __init__(self, document: PdfDocument) -> None:
        self.doc = document
        self.epw = document.width_mm - self.l_margin - self.r_margin
        self.trigger = document.height_mm - self.b_margin
        self.style, self.size = "", BODY
        self.add_page()

    def add_page(self) -> None:
        self.page = self.doc.add_page()
        self.x, self.y = self.l_margin, self.t_margin

    def set_font(self, style: str, size: float) -> None:
        self.style, self.size = style, size

    def get_string_width(self, text: str) -> float:
        return self.doc.fonts[self.style].width(text) * self.size / 1000 / PT_PER_MM

    def will_page_break(self, height: float) -> bool:
        return self.y + height > self.trigger

    def ln(self, height: float) -> None:
        self.x, self.y = self.l_margin, self.y + height

    def cell(self, width: float, height: float, text: str, align: str = "L", *, next_line: bool = False) -> None:
        """`text` in a box `width` × `height` at the pen (a box that would cross the bottom margin
        goes to the next page), vertically centred; the pen then moves right, or to the next line."""
        if self.will_page_break(height):
            x = self.x
            self.add_page()
            self.x = x
        if text:
            shift = {"L": 0.0, "C": (width - self.get_string_width(text)) / 2,
                     "R": width - self.get_string_width(text)}[align]
            baseline = self.y + height / 2 + 0.3 * self.size / PT_PER_MM
            self.doc.text(self.page, self.x + shift, baseline, self.style, self.size, text)
        if next_line:
            self.ln(height)
        else:
            self.x += width

    def rect(self, x: float, y: float, width: float, height: float, *, filled: bool) -> None:
        self.doc.rect(self.page, x, y, width, height, stroke_gray=150 / 255, line_mm=0.2,
                      fill_gray=235 / 255 if filled else None)

    def number_pages(self) -> None:
        for number, page in enumerate(self.doc.pages, 1):
            text = self.footer_text.format(page=number, pages=len(self.doc.pages))
            width = self.doc.fonts[""].width(text) * FOOTER / 1000 / PT_PER_MM
            baseline = self.doc.height_mm - 12 + 3 + 0.3 * FOOTER / PT_PER_MM
            self.doc.text(page, self.l_margin + (self.epw - width) / 2, baseline, "", FOOTER, text)


TITLE, HEADING, BODY, TABLE, FOOTER = 13, 10.5, 9.5, 9, 8  # font sizes, pt
PAD_X, PAD_Y = 1.5, 1.0  # a table cell's padding, mm


def _lines(pdf: _Sheet, text: str, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` (mm) at spaces, a too-long word at letters.
    A greedy breaker, one width lookup per word."""
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


def _write(pdf: _Sheet, lines: list[str], height: float, align: str = "L", indent: float = 0.0) -> None:
    """Lines one under another from the left margin (+ indent); a full page turns to the next."""
    for line in lines:
        pdf.x = pdf.l_margin + indent
        pdf.cell(pdf.epw - indent, height, line, align=align, next_line=True)


def _draw(pdf: _Sheet, block: Block) -> None:
    if isinstance(block, Title):
        pdf.set_font("B", TITLE)
        _write(pdf, _lines(pdf, block.text, pdf.epw), 6.5, align="C")
        pdf.ln(3)
    elif isinstance(block, Heading):
        pdf.ln(1.5)
        pdf.set_font("B", HEADING)
        _write(pdf, _lines(pdf, block.text, pdf.epw), 5.5)
        pdf.ln(1)
    elif isinstance(block, Paragraph):
        pdf.set_font("", BODY)
        _write(pdf, _lines(pdf, block.text, pdf.epw), 4.8)
        pdf.ln(1.5)
    elif isinstance(block, Items):
        pdf.set_font("", BODY)
        for item in block.items:
            if pdf.will_page_break(4.8):
                pdf.add_page()
            pdf.cell(5, 4.8, "•")
            pdf.x = pdf.l_margin
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


def _draw_table(pdf: _Sheet, table: Table) -> None:
    if not table.rows:
        return
    count = max(len(row) for row in table.rows)
    rows = [row + ("",) * (count - len(row)) for row in table.rows]
    heading = rows[0] if table.has_heading else None
    body = rows[1:] if table.has_heading else rows
    right = [bool(body) and all(not row[c] or NUMERIC.match(row[c]) for row in body) for c in range(count)]

    def width_of(text: str, bold: bool) -> float:
        pdf.set_font("B" if bold else "", TABLE)
        return pdf.get_string_width(text)

    natural = [max(width_of(row[c], row is heading) for row in rows) + 2 * PAD_X for c in range(count)]
    longest = [max(width_of(word, row is heading) for row in rows for word in row[c].split(" ")) + 2 * PAD_X
               for c in range(count)]
    columns = _Columns(_column_widths(natural, longest, pdf.epw), right, heading)
    for row in rows:
        _draw_row(pdf, columns, row, row is heading)
    pdf.ln(2.5)


@dataclass(frozen=True)
class _Columns:
    """A table's column widths (mm), which columns are right-aligned, and its heading row (repeated
    at the top of each page the table continues on)."""
    widths: list[float]
    right: list[bool]
    heading: tuple[str, ...] | None


LINE = 4.4  # a table line's height, mm


def _draw_row(pdf: _Sheet, columns: _Columns, cells: tuple[str, ...], bold: bool) -> None:
    """A module-level function, not a closure calling itself: such a closure is a reference cycle
    that kept each rendered document in memory until the collector's full pass."""
    widths = columns.widths
    pdf.set_font("B" if bold else "", TABLE)
    broken = [_lines(pdf, text, widths[c] - 2 * PAD_X) for c, text in enumerate(cells)]
    height = max(len(lines) for lines in broken) * LINE + 2 * PAD_Y
    if pdf.will_page_break(height):
        pdf.add_page()
        if columns.heading is not None and not bold:
            _draw_row(pdf, columns, columns.heading, True)
            pdf.set_font("", TABLE)
    x, y = pdf.l_margin, pdf.y
    for c, lines in enumerate(broken):
        pdf.rect(x, y, widths[c], height, filled=bold)
        for n, text in enumerate(lines):
            pdf.x, pdf.y = x + PAD_X, y + PAD_Y + n * LINE
            pdf.cell(widths[c] - 2 * PAD_X, LINE, text, align="R" if columns.right[c] and not bold else "L")
        x += widths[c]
    pdf.x, pdf.y = pdf.l_margin, y + height
