"""Matching a typed fragment inside text columns (ILIKE), its wildcards taken literally: pass
`escape=ESCAPE` to `ilike` so the rule does not rest on the database's default."""
from __future__ import annotations

ESCAPE = "\\"


def contains_pattern(fragment: str) -> str:
    """`%fragment%` for ILIKE, with `\\`, `%` and `_` escaped (PostgreSQL's default escape is `\\`)."""
    return "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
