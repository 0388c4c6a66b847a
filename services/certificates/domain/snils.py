"""СНИЛС: 11 digits, the last two a checksum of the first nine (Pension Fund rules)."""
from __future__ import annotations

# Numbers up to 001-001-998 were issued before the checksum existed.
_CHECKSUM_FROM = 1_001_998


def normalise(snils: str) -> str:
    """Accept the printed form 112-233-445 95 as well as bare digits."""
    return "".join(ch for ch in snils if ch not in " -")


def checksum(first_nine: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_nine, range(9, 0, -1)))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    rest = total % 101
    return 0 if rest == 100 else rest


def snils_ok(snils: str) -> bool:
    s = normalise(snils)
    if len(s) != 11 or not (s.isascii() and s.isdigit()):
        return False
    if int(s[:9]) <= _CHECKSUM_FROM:
        return True
    return checksum(s[:9]) == int(s[9:])


def mask(snils: str) -> str:
    """What non-operators see: ***-***-445 95."""
    s = normalise(snils)
    return f"***-***-{s[6:9]} {s[9:]}" if len(s) == 11 else "***"
