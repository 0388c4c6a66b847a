"""A provider's invoice for a month: charges, minus the advance paid, minus what an earlier
negative settlement carried over, minus the corrections (reversals of earlier debits that
disputes gave back), equals the settlement. A negative settlement carries on."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settlement:
    charges_kop: int
    advance_kop: int
    carried_in_kop: int  # a previous month's negative settlement (≤ 0)
    corrections_kop: int  # reversals of earlier debits this invoice gives back (≥ 0)
    settlement_kop: int  # what the district pays (> 0) or what carries to next month (< 0)

    @property
    def payable_kop(self) -> int:
        return max(0, self.settlement_kop)

    @property
    def carried_out_kop(self) -> int:
        return min(0, self.settlement_kop)


def settle(charges_kop: int, advance_kop: int, carried_in_kop: int = 0, corrections_kop: int = 0) -> Settlement:
    if charges_kop < 0 or advance_kop < 0 or carried_in_kop > 0 or corrections_kop < 0:
        raise ValueError("charges, advance and corrections are non-negative; a carry-in is what the provider owes (≤ 0)")
    return Settlement(charges_kop, advance_kop, carried_in_kop, corrections_kop,
                      charges_kop - advance_kop + carried_in_kop - corrections_kop)
