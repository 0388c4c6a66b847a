"""Which register pays for a program: the certificate while the program is certified, else
the first free (budget) register it is listed in, else the family."""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

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


# What a certified program's provider may still change: the rest was what the region certified.
EDITABLE_WHILE_CERTIFIED = frozenset({"description", "enrollment_limit", "ovz_adapted"})
MODULE_FIELDS = ("title", "hours", "price_kop")


def modules_differ(existing: Mapping[Any, Mapping[str, Any]], edits: Sequence[Mapping[str, Any]]) -> bool:
    """Whether a module edit changes anything: a new module, or one of a module's fields rewritten."""
    return any(e.get("id") not in existing or any(existing[e["id"]][f] != e[f] for f in MODULE_FIELDS)
               for e in edits)


def first_frozen_change(current: Mapping[str, Any], changes: Mapping[str, Any]) -> str | None:
    """The first field of an edit (in the edit's order) that a certification freezes and the edit changes;
    a field sent with the value it already holds (a whole form sent back) changes nothing."""
    return next((name for name, value in changes.items()
                 if name not in EDITABLE_WHILE_CERTIFIED and current.get(name) != value), None)
