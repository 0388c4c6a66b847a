"""What every staff cabinet's pages share: the request's day and month (the app's clock, Moscow), months and page
numbers read from the address, money typed in rubles read exactly into kopecks, which API refusals a page shows
beside its fields, and running many calls with a bound on how many at once."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Iterable
from datetime import date
from typing import TypeVar

from fastapi import Request

from navigator.gateway import ApiProblem
from navigator.web import api
from pfdo_kit.money import MAX_KOP

T = TypeVar("T")
MONTH = re.compile(r"^20\d{2}-(0[1-9]|1[0-2])$")
MAX_PAGE = 100_000
CONCURRENCY = 4
_RUBLES = re.compile(r"^(\d+)(?:[.,](\d{1,2}))?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")


def today(request: Request) -> date:
    """The request's day in the region's time (the app's clock, pinned in tests)."""
    return request.app.state.clock.today()


def this_month(request: Request) -> str:
    return today(request).strftime("%Y-%m")


def this_year(request: Request) -> int:
    return today(request).year


def previous_month(month: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def last_month(request: Request) -> str:
    return previous_month(this_month(request))


def parse_month(value: str | None) -> str | None:
    """`YYYY-MM` of 2000–2099, else None."""
    value = (value or "").strip()
    return value if MONTH.match(value) else None


def month_or(value: str | None, default: str) -> str:
    return parse_month(value) or default


def page_number(value: str | None) -> int:
    """A page number from the address: ASCII digits only (`'²'.isdigit()` is true and int() fails), 1…100 000."""
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return 1
    return min(MAX_PAGE, max(1, int(value)))


def digits(value: str | None) -> bool:
    """Whether a typed value is ASCII digits only (and not empty)."""
    return bool(value) and value.isascii() and value.isdigit()


def shown(problem: ApiProblem) -> bool:
    """A refusal the page shows beside its fields; a missing object (404), an expired login (401, to the login)
    and a failure (5xx) go to the central handlers."""
    return problem.status < 500 and problem.status not in (401, 404)


def status_of(problem: ApiProblem) -> int:
    """The page's status for a refusal shown on it."""
    return 409 if problem.status == 409 else 422


def kopecks(text: str | None, *, required: bool = False) -> int | None:
    """«12 345,67», «12345.67 ₽», «1 500» (spaces, NBSP) → kopecks exactly, without floats. Empty → None.
    ValueError with the Russian message to show beside the field otherwise."""
    cleaned = _SPACES.sub("", (text or "").strip()).removesuffix("₽").removesuffix("руб.").removesuffix("руб")
    if not cleaned:
        if required:
            raise ValueError("Укажите сумму в рублях")
        return None
    found = _RUBLES.match(cleaned) if cleaned.isascii() else None
    if not found:
        raise ValueError("Сумма в рублях: цифры и не больше двух знаков после запятой, например 12 345,67")
    kop = int(found.group(1)) * 100 + int((found.group(2) or "").ljust(2, "0"))
    if kop > MAX_KOP:
        raise ValueError("Слишком большая сумма")
    return kop


def rubles_input(kop: int | None) -> str:
    """Kopecks as a form shows them back for editing: 1234567 → «12345,67», 1500000 → «15000»."""
    if kop is None:
        return ""
    whole, part = divmod(kop, 100)
    return f"{whole},{part:02d}" if part else str(whole)


async def bounded(calls: Iterable[Awaitable[T]], limit: int = CONCURRENCY) -> list[T]:
    """Every call's answer in order, at most `limit` at once: one page must not take the gateway pool."""
    gate = asyncio.Semaphore(limit)

    async def one(call: Awaitable[T]) -> T:
        async with gate:
            return await call

    return await asyncio.gather(*(one(c) for c in calls))



async def newest(request: Request, path: str, params: dict | None = None, page_size: int = 100) -> dict:
    """The last page of a list the API gives oldest first (a provider's history): its newest entries."""
    params = {**(params or {}), "page_size": page_size}
    first = await api(request, "GET", path, params={**params, "page": 1})
    last = max(1, -(-int(first.get("total") or 0) // page_size))
    return first if last == 1 else await api(request, "GET", path, params={**params, "page": last})


async def every_page(request: Request, path: str, params: dict | None = None, *, limit: int = 50) -> list[dict]:
    """Every item of a list, page after page of 100 (at most `limit` pages: a group's roster, its contracts)."""
    items: list[dict] = []
    for number in range(1, limit + 1):
        found = await api(request, "GET", path, params={**(params or {}), "page": number, "page_size": 100})
        items.extend(found.get("items") or [])
        if not found.get("items") or len(items) >= int(found.get("total") or 0):
            break
    return items
