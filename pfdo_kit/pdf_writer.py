"""A PDF file from pages of text lines and rectangles: just what the contract documents draw.

Coordinates are millimetres from the page's top-left corner (as a layout thinks); text is set in
embedded TrueType fonts (`pdf_font.EmbeddableFont`, Identity-H, with a ToUnicode map so that the
text copies and is found by a search), each cut to the glyphs the document uses. The output is a
function of its input alone: no clock, no random ids (the file id is a hash of the content).
"""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from pfdo_kit.pdf_font import EmbeddableFont

PT_PER_MM = 72 / 25.4
A4_MM = (210.0, 297.0)


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text_string(text: str) -> str:
    """A string of the document's information dictionary: UTF-16 with its byte order mark."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset else 0
    sign = "+" if minutes >= 0 else "-"
    return f"(D:{moment:%Y%m%d%H%M%S}{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}')"


@dataclass
class Page:
    """One page's drawing operators, in PDF points."""
    height_mm: float
    ops: list[bytes] = field(default_factory=list)


class PdfDocument:
    """Pages drawn in order; `output` gives the file. Fonts are named by the caller ("regular",
    "bold") when the document is made."""

    def __init__(self, fonts: dict[str, EmbeddableFont], *, title: str, creator: str, lang: str,
                 created_at: datetime, size_mm: tuple[float, float] = A4_MM) -> None:
        if created_at.tzinfo is None:
            raise ValueError("created_at must be an aware datetime")
        self.fonts, self.title, self.creator, self.lang, self.created_at = fonts, title, creator, lang, created_at
        self.width_mm, self.height_mm = size_mm
        self.pages: list[Page] = []
        self._resource = {name: f"F{n}" for n, name in enumerate(fonts, 1)}
        self._used: dict[str, set[str]] = {name: set() for name in fonts}  # the characters set in each font

    def add_page(self) -> Page:
        self.pages.append(Page(self.height_mm))
        return self.pages[-1]

    def text(self, page: Page, x_mm: float, baseline_mm: float, font: str, size_pt: float, text: str) -> None:
        """`text` on one line, starting at `x_mm`, its baseline `baseline_mm` from the top."""
        self._used[font].update(text)
        page.ops.append(f"BT 0 g /{self._resource[font]} {_number(size_pt)} Tf {_number(x_mm * PT_PER_MM)} "
                        f"{_number((self.height_mm - baseline_mm) * PT_PER_MM)} Td <{self.fonts[font].codes(text).hex()}>"
                        " Tj ET".encode())

    def rect(self, page: Page, x_mm: float, y_mm: float, w_mm: float, h_mm: float, *, stroke_gray: float,
             line_mm: float, fill_gray: float | None = None) -> None:
        """A rectangle's outline (grey level 0 black … 1 white), filled first if `fill_gray` is given."""
        box = " ".join(_number(v) for v in (x_mm * PT_PER_MM, (self.height_mm - y_mm - h_mm) * PT_PER_MM,
                                              w_mm * PT_PER_MM, h_mm * PT_PER_MM))
        paint = "S" if fill_gray is None else "B"
        fill = "" if fill_gray is None else f"{_number(fill_gray)} g "
        page.ops.append(f"{_number(stroke_gray)} G {_number(line_mm * PT_PER_MM)} w {fill}{box} re {paint}".encode())

    def output(self) -> bytes:
        objects: list[bytes] = []

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog, pages = add(b""), add(b"")
        font_refs = {name: self._font_objects(add, name) for name in self.fonts}
        resources = "<< /Font << " + " ".join(f"/{self._resource[n]} {ref} 0 R" for n, ref in font_refs.items()) \
            + " >> /ProcSet [/PDF /Text] >>"
        kids = []
        for page in self.pages:
            content = add(_stream(b"\n".join(page.ops)))
            kids.append(add(f"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {_number(self.width_mm * PT_PER_MM)} "
                            f"{_number(page.height_mm * PT_PER_MM)}] /Resources {resources} /Contents {content} 0 R >>"
                            .encode()))
        objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages} 0 R /Lang ({self.lang}) >>".encode()
        objects[pages - 1] = (f"<< /Type /Pages /Count {len(kids)} /Kids [" + " ".join(f"{k} 0 R" for k in kids)
                              + "] >>").encode()
        info = add(f"<< /Title {_text_string(self.title)} /Creator {_text_string(self.creator)} /Producer "
                   f"{_text_string('pfdo_kit.pdf_writer')} /CreationDate {_pdf_date(self.created_at)} >>".encode())
        return self._file(objects, catalog, info)

    def _font_objects(self, add, name: str) -> int:
        face = self.fonts[name]
        embedded = _embedding(face, frozenset(face.glyph_ids(self._used[name])))
        m, base = face.metrics, embedded.base
        file = add(embedded.font_file)
        descriptor = add(f"<< /Type /FontDescriptor /FontName /{base} /Flags 32 /FontBBox [{' '.join(map(str, m.bbox))}]"
                         f" /ItalicAngle {_number(m.italic_angle)} /Ascent {m.ascent} /Descent {m.descent}"
                         f" /CapHeight {m.cap_height} /StemV 80 /FontFile2 {file} 0 R >>".encode())
        cid_font = add(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /{base} /CIDSystemInfo << /Registry (Adobe)"
                       f" /Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /W [{embedded.widths}]"
                       f" /CIDToGIDMap /Identity >>".encode())
        to_unicode = add(embedded.to_unicode)
        return add(f"<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H /DescendantFonts"
                   f" [{cid_font} 0 R] /ToUnicode {to_unicode} 0 R >>".encode())

    def _file(self, objects: list[bytes], catalog: int, info: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
        file_id = hashlib.md5(bytes(out), usedforsecurity=False).hexdigest()
        xref = len(out)
        out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
        out += (f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R /Info {info} 0 R /ID [<{file_id}>"
                f" <{file_id}>] >>\nstartxref\n{xref}\n%%EOF\n").encode()
        return bytes(out)


@dataclass(frozen=True)
class _Embedding:
    """What a document embeds of a font for the glyphs it uses, as written: the subset's name, its file
    and its ToUnicode map as compressed streams, and the glyphs' widths."""
    base: str
    font_file: bytes
    to_unicode: bytes
    widths: str


def _stream(data: bytes, extra: str = "") -> bytes:
    packed = zlib.compress(data, 6)
    return f"<< /Length {len(packed)} /Filter /FlateDecode{extra} >>\nstream\n".encode() + packed + b"\nendstream"


@lru_cache(maxsize=64)
def _embedding(face: EmbeddableFont, used: frozenset[int]) -> _Embedding:
    """Made once per set of glyphs and kept (a few tens, ~10 KB each): documents of one template use
    mostly the same glyphs (always in bold: its headings), and cutting and compressing the font had
    been a third of a document's time. The same glyphs give the same bytes, kept or made."""
    kept = sorted(face.closure(used))
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(repr(kept).encode()).digest()[:6])
    subset = face.subset(used)
    return _Embedding(f"{tag}+{face.metrics.postscript_name}", _stream(subset, f" /Length1 {len(subset)}"),
                      _stream(_to_unicode({gid: face.char_of[gid] for gid in sorted(used) if gid in face.char_of})),
                      " ".join(f"{gid} [{face.widths[gid]}]" for gid in kept))


def _to_unicode(chars: dict[int, str]) -> bytes:
    """The CMap that tells a reader which character each glyph id is (copy, search, screen readers)."""
    entries = [f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>" for gid, char in chars.items()]
    blocks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
    body = "\n".join(f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar" for block in blocks)
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe)"
            " /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + body
            + "\nendcmap\nCMapName currentdict /CMapResource defineresource pop\nend\nend").encode()
