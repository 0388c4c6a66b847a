"""Matching a typed fragment inside text columns (ILIKE), its wildcards taken literally."""
from __future__ import annotations


def contains_pattern(fragment: str) -> str:
    """`%fragment%` for ILIKE, with `\\`, `%` and `_` escaped (PostgreSQL's default escape is `\\`)."""
    return "%" + fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
