"""The certificate's 10-digit number: 9 digits and a Damm check digit.

Damm's quasigroup catches every single-digit error and every swap of adjacent digits,
so a mistyped number is refused instead of matching another child's certificate.
"""
from __future__ import annotations

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def damm(digits: str) -> int:
    interim = 0
    for d in digits:
        interim = _DAMM[interim][int(d)]
    return interim


def make_number(serial: int, prefix: str = "") -> str:
    """prefix (a district code) + zero-padded serial, 9 digits, then the check digit."""
    body = f"{prefix}{serial:0{9 - len(prefix)}d}"
    if len(body) != 9 or not body.isdigit():
        raise ValueError("prefix and serial must make exactly nine digits")
    return body + str(damm(body))


def number_ok(number: str) -> bool:
    return len(number) == 10 and number.isascii() and number.isdigit() and damm(number) == 0
