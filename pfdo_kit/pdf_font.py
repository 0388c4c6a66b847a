"""A TrueType font read once per process and embedded into each PDF cut to the glyphs it uses.

`EmbeddableFont.load` parses the font file once (fontTools); afterwards a document only looks up
widths and glyph ids in dictionaries and `subset` assembles a small TrueType file from the
glyphs' raw bytes: glyph ids are kept (unused glyphs left empty), so text is written as glyph
ids (Identity-H) without a re-encoding, and the subset is the same bytes for the same glyphs.
Parsing and subsetting with fontTools for every document had been most of a document's time.
"""
from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from fontTools.ttLib import TTFont

# Tables a PDF's embedded TrueType (FontFile2) is read with; the hinting ones only if present.
KEPT_TABLES = ("OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post",
               "prep")
_COMPOSITE_MORE, _COMPOSITE_WORDS = 0x0020, 0x0001
_COMPOSITE_SCALE, _COMPOSITE_XY_SCALE, _COMPOSITE_2X2 = 0x0008, 0x0040, 0x0080


def _components(glyph: bytes) -> list[int]:
    """The glyph ids a composite glyph is built of (a simple glyph: none)."""
    if len(glyph) < 10 or struct.unpack_from(">h", glyph)[0] >= 0:
        return []
    found, at = [], 10
    while True:
        flags, gid = struct.unpack_from(">HH", glyph, at)
        found.append(gid)
        at += 4 + (4 if flags & _COMPOSITE_WORDS else 2)
        at += 8 if flags & _COMPOSITE_2X2 else 4 if flags & _COMPOSITE_XY_SCALE else 2 if flags & _COMPOSITE_SCALE else 0
        if not flags & _COMPOSITE_MORE:
            return found


def _checksum(data: bytes) -> int:
    words = array("I", data + b"\0" * (-len(data) % 4))
    if struct.pack("=I", 1) != struct.pack(">I", 1):
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


KNOWN_WIDTHS = 8_192  # remembered text widths per font (~2 MB)


def _font_file(tables: dict[str, bytes], sums: dict[str, int]) -> bytes:
    """An sfnt file of these tables, with their checksums (`sums`: known already, but head's) and
    head's checksum adjustment. Each table starts and ends on a four-byte boundary, so the file's
    checksum is its header's plus its tables': the file is not summed again."""
    tags = sorted(tables)
    power = 1 << (len(tags).bit_length() - 1)
    header = struct.pack(">IHHHH", 0x00010000, len(tags), power * 16, power.bit_length() - 1,
                         len(tags) * 16 - power * 16)
    directory, body, offset = [], [], 12 + 16 * len(tags)
    head = bytearray(tables["head"])
    head[8:12] = b"\0\0\0\0"
    tables, sums = {**tables, "head": bytes(head)}, {**sums, "head": _checksum(bytes(head))}
    for tag in tags:
        data = tables[tag]
        directory.append(struct.pack(">4sIII", tag.encode("latin-1"), sums[tag], offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    start = header + b"".join(directory)
    whole = bytearray(start + b"".join(body))
    head_at = len(start) + sum(len(b) for b in body[:tags.index("head")])
    total = _checksum(start) + sum(sums[tag] for tag in tags)
    whole[head_at + 8:head_at + 12] = struct.pack(">I", (0xB1B0AFBA - total) & 0xFFFFFFFF)
    return bytes(whole)


class _CodeTable(dict):
    """str.translate's table of two-byte glyph ids; a character the font lacks is .notdef."""

    def __missing__(self, code: int) -> str:
        return "\0\0"


@dataclass(frozen=True)
class FontMetrics:
    """What a PDF's font descriptor says of the font, in thousandths of the em."""
    postscript_name: str
    ascent: int
    descent: int
    cap_height: int
    bbox: tuple[int, int, int, int]
    italic_angle: float


class EmbeddableFont:
    """One TrueType font, parsed once. Widths are in thousandths of the em (the PDF's unit)."""

    def __init__(self, glyph_of: dict[str, int], widths: list[int], glyphs: list[bytes], parts: dict[int, list[int]],
                 tables: dict[str, bytes], metrics: FontMetrics) -> None:
        self.glyph_of, self.widths, self.metrics = glyph_of, widths, metrics
        self._glyphs, self._parts, self._tables = glyphs, parts, tables
        # What every subset repeats, made once: each glyph padded to four bytes and its checksum (a
        # subset's glyf table sums to the sum of its glyphs'), the other tables' checksums.
        self._padded = [glyph + b"\0" * (-len(glyph) % 4) for glyph in glyphs]
        self._glyph_sums = [_checksum(padded) for padded in self._padded]
        self._table_sums = {tag: _checksum(data) for tag, data in tables.items()}
        self._char_width = {char: widths[gid] for char, gid in glyph_of.items()}
        self._code_of = _CodeTable({ord(char): chr(gid >> 8) + chr(gid & 0xFF) for char, gid in glyph_of.items()})
        self._known_widths: dict[str, int] = {}
        self.char_of: dict[int, str] = {}  # each glyph's character (the lowest of several): the ToUnicode map
        for char, gid in sorted(glyph_of.items()):
            self.char_of.setdefault(gid, char)

    @classmethod
    def load(cls, path: str | Path) -> EmbeddableFont:
        font = TTFont(path, recalcTimestamp=False, lazy=False)
        raw = {tag: font.reader[tag] for tag in KEPT_TABLES if tag in font.reader}
        scale = 1000 / font["head"].unitsPerEm
        order = font.getGlyphOrder()
        widths = [round(font["hmtx"][name][0] * scale) for name in order]
        glyph_of = {chr(code): font.getGlyphID(name) for code, name in font.getBestCmap().items()}
        long_loca = font["head"].indexToLocFormat == 1
        loca = struct.unpack(f">{len(order) + 1}{'I' if long_loca else 'H'}", raw["loca"])
        offsets = loca if long_loca else tuple(2 * at for at in loca)
        glyphs = [raw["glyf"][offsets[g]:offsets[g + 1]] for g in range(len(order))]
        parts = {gid: _components(glyph) for gid, glyph in enumerate(glyphs) if _components(glyph)}
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        metrics = FontMetrics(
            font["name"].getDebugName(6) or Path(path).stem, round(hhea.ascent * scale), round(hhea.descent * scale),
            round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
            tuple(round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)),
            float(font["post"].italicAngle))
        return cls(glyph_of, widths, glyphs, parts, raw, metrics)

    def width(self, text: str) -> int:
        """The text's advance in thousandths of the em (a character the font lacks: .notdef's).
        Documents repeat their words and lines, so widths are remembered: at most `KNOWN_WIDTHS`, then
        forgotten all at once (the template's words come back at the next document; each family's names
        and numbers need not stay — 100 000 of them held ~22 MB per font in a long-running process)."""
        known = self._known_widths.get(text)
        if known is None:
            lookup, missing = self._char_width.get, self.widths[0]
            known = sum(lookup(char, missing) for char in text)
            if len(self._known_widths) >= KNOWN_WIDTHS:
                self._known_widths.clear()
            self._known_widths[text] = known
        return known

    def codes(self, text: str) -> bytes:
        """The text as two-byte glyph ids (what an Identity-H font shows)."""
        return text.translate(self._code_of).encode("latin-1")

    def glyph_ids(self, chars: set[str]) -> set[int]:
        return {self.glyph_of.get(char, 0) for char in chars}

    def closure(self, gids: set[int]) -> set[int]:
        """The glyphs and every glyph a composite among them is built of, .notdef included."""
        todo, seen = list(gids | {0}), set()
        while todo:
            gid = todo.pop()
            if gid not in seen:
                seen.add(gid)
                todo += self._parts.get(gid, ())
        return seen

    def subset(self, gids: set[int]) -> bytes:
        """A TrueType file with only these glyphs drawn (ids kept, the others empty)."""
        keep = sorted(self.closure(gids))
        padded, kept = self._padded, set(keep)
        offsets = array("I", accumulate((len(padded[gid]) if gid in kept else 0 for gid in range(len(padded))),
                                        initial=0))
        loca_sum = sum(offsets) & 0xFFFFFFFF  # big-endian words: the offsets themselves
        if struct.pack("=I", 1) != struct.pack(">I", 1):
            offsets.byteswap()
        head = bytearray(self._tables["head"])
        head[50:52] = struct.pack(">h", 1)  # indexToLocFormat: long offsets
        glyf = b"".join(padded[gid] for gid in keep)
        sums = {**self._table_sums, "glyf": sum(self._glyph_sums[gid] for gid in keep) & 0xFFFFFFFF,
                "loca": loca_sum}
        return _font_file({**self._tables, "head": bytes(head), "glyf": glyf, "loca": offsets.tobytes()}, sums)
