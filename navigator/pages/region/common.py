"""What the region's pages share: each municipality's month close, asked a few municipalities at a time
(months, page numbers and refusals are in navigator/pages/staff_common)."""
from __future__ import annotations

from fastapi import Request

from navigator.gateway import ApiProblem
from navigator.pages.staff_common import bounded
from navigator.web import api


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
    found = await bounded(month_close(request, code, month) for code in codes)
    return dict(zip(codes, found, strict=True))
