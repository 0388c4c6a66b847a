"""Which register pays for a program: the certificate while the program is certified, else
the first free (budget) register it is listed in, else the family."""
from __future__ import annotations

from collections.abc import Collection
from datetime import date

from pfdo_events.catalog import FREE_REGISTERS

CERTIFIED, FAMILY = "certified", "family"


def certified_now(registers: Collection[str], certified_until: date | None, today: date) -> bool:
    """Certified today: on the certified register, and the certification has not run out."""
    return CERTIFIED in registers and certified_until is not None and certified_until >= today


def register_for(registers: Collection[str], certified_until: date | None, today: date) -> str:
    if certified_now(registers, certified_until, today):
        return CERTIFIED
    return next((r for r in FREE_REGISTERS if r in registers), FAMILY)


def is_free(register: str) -> bool:
    return register in FREE_REGISTERS
