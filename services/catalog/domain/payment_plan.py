"""Monthly shares of a group's price: the certificate's part and the family's co-payment."""
from __future__ import annotations

from datetime import date

from pfdo_kit.money import div_half_up


def months_between(start: date, end: date) -> list[str]:
    months, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def monthly_shares(price_kop: int, months: list[str], certificate_pays: bool,
                   cap_per_month_kop: int | None = None) -> list[tuple[str, int, int]]:
    """(month, certificate kop, co-payment kop) per month; the last month takes the rounding
    remainder so the shares add up to the price to the kopeck."""
    if not months:
        return []
    base = div_half_up(price_kop, len(months))
    shares, left = [], price_kop
    for i, month in enumerate(months):
        part = left if i == len(months) - 1 else min(base, left)
        left -= part
        cert = min(part, cap_per_month_kop) if certificate_pays and cap_per_month_kop is not None else (
            part if certificate_pays else 0)
        shares.append((month, cert, part - cert))
    return shares
