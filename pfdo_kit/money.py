"""Money is integer kopecks everywhere. The one rounding rule of the platform: half up to the kopeck."""
from __future__ import annotations

# The largest amount any input may name: 10 trillion roubles, more than any region's budget, and
# sums of many such still far inside PostgreSQL's bigint.
MAX_KOP = 10**15


def div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half up, for non-negative integers, exactly."""
    if denominator <= 0 or numerator < 0:
        raise ValueError("non-negative numerator and positive denominator expected")
    quotient, remainder = divmod(numerator, denominator)
    return quotient + (1 if 2 * remainder >= denominator else 0)


def prorate(nominal_kop: int, months_left: int, months_total: int = 12) -> int:
    """A child who joins late gets the nominal for the months that remain."""
    if not 0 <= months_left <= months_total:
        raise ValueError("months_left must be within the period")
    return div_half_up(nominal_kop * months_left, months_total)


NBSP = "\u00a0"


def rubles(kop: int) -> str:
    """`rubles(2_500_000)` → "25 000,00 ₽", as people write money in Russian: groups of three digits
    and the sign split off by no-break spaces, a comma before the kopecks."""
    whole, kopecks = divmod(abs(kop), 100)
    grouped = f"{whole:,}".replace(",", NBSP)
    return f"{'−' if kop < 0 else ''}{grouped},{kopecks:02d}{NBSP}₽"
