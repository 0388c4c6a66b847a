"""What a staff member types to find a child: a part of the full name, a whole certificate number
or a whole СНИЛС (digits, with or without separators). Pure: the text in, what to compare out."""
from __future__ import annotations

import re
from dataclasses import dataclass

from pfdo_kit.text_match import contains_pattern

_SEPARATORS = re.compile(r"[\s\-.]")


@dataclass(frozen=True)
class ChildSearch:
    name_pattern: str  # `%part%` for ILIKE … ESCAPE '\\' (`pfdo_kit.text_match`)
    number: str | None  # ten digits: a certificate number typed whole
    snils: str | None  # eleven digits as СНИЛС is stored


def child_search(text: str) -> ChildSearch | None:
    """None: nothing typed (no filter)."""
    text = " ".join(text.split())
    if not text:
        return None
    digits = _SEPARATORS.sub("", text)
    whole = digits if digits.isascii() and digits.isdigit() else ""
    return ChildSearch(name_pattern=contains_pattern(text), number=whole if len(whole) == 10 else None,
                       snils=whole if len(whole) == 11 else None)
