"""What the operator's pages share: the operator's municipality, this month and year in the region's time,
money typed in rubles read exactly into kopecks, and which refusals a page shows beside its fields."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from fastapi import Request

from navigator.formatting import ZONE
from navigator.gateway import ApiProblem
from navigator.web import api

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_RUBLES = re.compile(r"^(\d+)(?:[.,](\d{1,2}))?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
MAX_KOP = 10**15


def municipality_of(account: dict) -> str:
    return account.get("municipality") or ""


def this_month() -> str:
    return datetime.now(ZONE).strftime("%Y-%m")


def last_month() -> str:
    now = datetime.now(ZONE)
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    return f"{year}-{month:02d}"


def this_year() -> int:
    return datetime.now(ZONE).year


def month_or(value: str | None, default: str) -> str:
    return value if value and MONTH.match(value) else default


def shown(problem: ApiProblem) -> bool:
    """A refusal the page shows beside its fields; a missing object (404) or a failure goes to the error page."""
    return problem.status < 500 and problem.status != 404


def kopecks(text: str | None, *, required: bool = False) -> int | None:
    """«12 345,67» (or «12345.67 ₽») → 1234567, exactly, without floats. Empty → None. ValueError with the
    Russian message to show beside the field otherwise."""
    cleaned = _SPACES.sub("", (text or "").strip()).removesuffix("₽").removesuffix("руб.").removesuffix("руб")
    if not cleaned:
        if required:
            raise ValueError("Укажите сумму в рублях")
        return None
    found = _RUBLES.match(cleaned)
    if not found:
        raise ValueError("Сумма в рублях: цифры и не больше двух знаков после запятой, например 12 345,67")
    whole, part = found.group(1), (found.group(2) or "").ljust(2, "0")
    kop = int(whole) * 100 + int(part)
    if kop > MAX_KOP:
        raise ValueError("Слишком большая сумма")
    return kop


def rubles_input(kop: int | None) -> str:
    """Kopecks as the form shows them back for editing: 1234567 → «12345,67», 1500000 → «15000»."""
    if kop is None:
        return ""
    whole, part = divmod(kop, 100)
    return f"{whole},{part:02d}" if part else str(whole)


async def maybe(request: Request, method: str, path: str, **kwargs: Any) -> Any:
    """The API's answer, or None when it refuses or is away: an overview shows what it can."""
    try:
        return await api(request, method, path, **kwargs)
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return None
