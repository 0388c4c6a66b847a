"""Monthly shares of a group's price: the certificate's part and the family's co-payment."""
from __future__ import annotations

from datetime import date, timedelta

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


def normative_cap_kop(hours: int, kop_per_hour: int, coefficient_permille: int) -> int:
    """The most the certificate pays for a module: hours × normative rate × district coefficient."""
    return div_half_up(hours * kop_per_hour * coefficient_permille, 1000)


def certificate_shares(price_kop: int, hours: int, months: list[str], certificate_pays: bool,
                       kop_per_hour: int, coefficient_permille: int) -> list[tuple[str, int, int]]:
    """Monthly (certificate, family) shares: the certificate covers up to the normative cost,
    spread like the price; the family pays the rest. Both add up to the kopeck."""
    totals = [(m, part) for m, part, _ in monthly_shares(price_kop, months, certificate_pays=True)]
    if not certificate_pays:
        return [(m, 0, part) for m, part in totals]
    cap = min(price_kop, normative_cap_kop(hours, kop_per_hour, coefficient_permille))
    covered = [min(part, c) for (_, part), (_, c, _) in zip(totals, monthly_shares(cap, months, True))]
    short = cap - sum(covered)  # rounding can leave a few kopecks: put them where a month has room
    for i, (_, part) in enumerate(totals):
        extra = min(short, part - covered[i])
        covered[i] += extra
        short -= extra
    return [(m, c, part - c) for (m, part), c in zip(totals, covered)]


def planned_lessons(month: str, starts_on: date, ends_on: date, weekdays: list[int]) -> int:
    """Lessons the weekly schedule puts in a month, within the group's dates (one per listed weekday)."""
    year, mon = int(month[:4]), int(month[5:7])
    day = max(starts_on, date(year, mon, 1))
    last = min(ends_on, (date(year + (mon == 12), mon % 12 + 1, 1) - timedelta(days=1)))
    count = 0
    while day <= last:
        count += weekdays.count(day.weekday())
        day += timedelta(days=1)
    return count
