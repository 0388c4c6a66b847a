"""What the region's pages share: the month and year now (the region's time), each municipality's month close,
and telling an API refusal to show from a failure to raise."""
from __future__ import annotations

import asyncio
import re
from datetime import datetime

from fastapi import Request

from navigator.formatting import ZONE
from navigator.gateway import ApiProblem
from navigator.web import api

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def this_month() -> str:
    return datetime.now(ZONE).strftime("%Y-%m")


def this_year() -> int:
    return datetime.now(ZONE).year


def previous_month(month: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def month_or_now(value: str | None) -> str:
    return value if value and MONTH.match(value) else this_month()


def shown(problem: ApiProblem) -> bool:
    """A refusal the page shows beside its fields (not a failure, not a missing object)."""
    return problem.status < 500 and problem.status != 404


async def month_close(request: Request, municipality: str, month: str) -> dict:
    """The municipality's close of `month`: the API's answer, `{"status": "not_requested"}` when nobody asked
    for it, or `{"error": …}` when the billing service did not answer."""
    try:
        return await api(request, "GET", f"/municipalities/{municipality}/months/{month}")
    except ApiProblem as problem:
        if problem.status == 404:
            return {"status": "not_requested"}
        if problem.status == 401:
            raise
        return {"error": problem.title}


async def month_closes(request: Request, codes: list[str], month: str) -> dict[str, dict]:
    found = await asyncio.gather(*(month_close(request, code, month) for code in codes))
    return dict(zip(codes, found, strict=True))


def page_number(request: Request) -> int:
    try:
        return min(100_000, max(1, int(request.query_params.get("page") or 1)))
    except ValueError:
        return 1
