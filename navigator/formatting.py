"""How money, dates and the search's highlights are shown."""
from __future__ import annotations

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

MONTHS_GENITIVE = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                   "октября", "ноября", "декабря"]
MONTHS = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
          "ноябрь", "декабрь"]
NBSP = "\u00a0"
ZONE = ZoneInfo("Europe/Moscow")


def money(kop: int | None) -> str:
    """12345 → «123,45 ₽»; 150000 → «1 500 ₽» (no-break spaces)."""
    if kop is None:
        return "—"
    sign = "−" if kop < 0 else ""
    rubles, rest = divmod(abs(kop), 100)
    whole = f"{rubles:,}".replace(",", NBSP)
    return f"{sign}{whole}{',' + format(rest, '02d') if rest else ''}{NBSP}₽"


def _as_date(value: str | date | None) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(value[:10])


def day(value: str | date | None) -> str:
    d = _as_date(value)
    return "—" if d is None else f"{d.day}{NBSP}{MONTHS_GENITIVE[d.month - 1]} {d.year}"


def moment(value: str | None) -> str:
    if not value:
        return "—"
    at = datetime.fromisoformat(value).astimezone(ZONE)
    return f"{day(at.date())}, {at:%H:%M}"


def month(value: str | None) -> str:
    """'2026-09' → 'сентябрь 2026'."""
    if not value:
        return "—"
    year, number = value.split("-")[:2]
    return f"{MONTHS[int(number) - 1]} {year}"


def plural(n: int, one: str, few: str, many: str) -> str:
    n10, n100 = n % 10, n % 100
    word = one if n10 == 1 and n100 != 11 else few if 2 <= n10 <= 4 and not 12 <= n100 <= 14 else many
    return f"{n}{NBSP}{word}"


def snils_masked(value: str | None) -> str:
    """A СНИЛС in a list shows only its control number: «***-***-*** 95» (whole on the certificate's page)."""
    found = re.sub(r"[^0-9]", "", value or "")
    return f"***-***-*** {found[-2:]}" if len(found) == 11 else ("***" if value else "—")


_MARK = re.compile(r"(</?mark>)")


def highlight(text: str | None) -> Markup:
    """The search's snippet: escaped again here, only <mark> and </mark> let through."""
    if not text:
        return Markup("")
    out = []
    for part in _MARK.split(text):
        out.append(part if part in ("<mark>", "</mark>") else str(escape(html.unescape(part))))
    body = "".join(out)
    if body.count("<mark>") != body.count("</mark>"):
        return Markup(escape(html.unescape(_MARK.sub("", text))))
    return Markup(body)
