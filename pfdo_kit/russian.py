"""Numbers and dates as people write them in Russian: "5 сентября 2026 г.", "сентябрь 2026 г.",
"2 занятия", "вторник" (money is `pfdo_kit.money.rubles`: "1 234,50 ₽"). Notices and documents
use the same words."""
from __future__ import annotations

from datetime import date, datetime

NBSP = "\u00a0"

_MONTHS_OF = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
              "октября", "ноября", "декабря")
_MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
           "ноябрь", "декабрь")

WEEKDAYS = ("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье")  # 0 = Monday

Forms = tuple[str, str, str]  # for 1, for 2–4, for 5–20: ("занятие", "занятия", "занятий")
LESSONS: Forms = ("занятие", "занятия", "занятий")
HOURS: Forms = ("час", "часа", "часов")
DAYS: Forms = ("день", "дня", "дней")
CERTIFICATES: Forms = ("сертификат", "сертификата", "сертификатов")
PROVIDERS: Forms = ("поставщик", "поставщика", "поставщиков")


def plural_form(n: int, forms: Forms) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return forms[0]
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return forms[1]
    return forms[2]


def plural(n: int, forms: Forms) -> str:
    """`plural(2, LESSONS)` → "2 занятия"."""
    return f"{n}{NBSP}{plural_form(n, forms)}"


def day(d: date) -> str:
    """`day(date(2026, 9, 5))` → "5 сентября 2026 г."."""
    return f"{d.day}{NBSP}{_MONTHS_OF[d.month - 1]} {d.year}{NBSP}г."


def moment(local: datetime) -> str:
    """A local date and time: "5 сентября 2026 г. в 14:30"."""
    return f"{day(local.date())} в {local:%H:%M}"


def month(yyyy_mm: str) -> str:
    """`month("2026-09")` → "сентябрь 2026 г."."""
    year, number = int(yyyy_mm[:4]), int(yyyy_mm[5:7])
    return f"{_MONTHS[number - 1]} {year}{NBSP}г."
