"""Cutting a document font to the characters a Russian document may hold, as a child process:

    python -m pfdo_kit.pdf_font_trim <directory> <font file>...

Each font is written into `directory` under its own name: fewer glyphs to keep in memory and to
index in every document's embedded copy; no hinting (PDF viewers scale outlines) and no glyph
names. fontTools' subsetter is deterministic: the same font file gives the same bytes. It runs in a
process of its own because the subsetter's modules (~9 MB) and what cutting a 6 000-glyph font
leaves in the allocator (~8 MB) would otherwise stay in the long-running service for good.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

# What a Russian document may hold: Latin with Latin-1 and Extended-A, Cyrillic with its supplement
# (the republics' letters: Ӏ), general punctuation, currency (₽), №, the minus sign and bullets.
# Fewer glyphs are faster to load for every document.
CHARACTERS = (*range(0x20, 0x7F), *range(0xA0, 0x180), *range(0x400, 0x530), *range(0x2000, 0x2070),
              *range(0x20A0, 0x20C1), 0x2116, 0x2212, 0x25A0, 0x25CF)


def trim(source: Path, target: Path) -> None:
    font = TTFont(source, recalcTimestamp=False)
    options = subset.Options()
    options.name_IDs, options.layout_features, options.notdef_outline = [0, 1, 2, 3, 4, 5, 6], [], True
    options.hinting, options.glyph_names = False, False
    options.drop_tables += ["FFTM", "GDEF", "GPOS", "GSUB", "kern", "DSIG"]  # nothing a PDF reads
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=CHARACTERS)
    cutter.subset(font)
    font.save(target)


def main(argv: list[str]) -> int:
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" is harmless
    directory, sources = Path(argv[0]), [Path(a) for a in argv[1:]]
    for source in sources:
        trim(source, directory / source.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
