"""Families' reviews of the provider's programs: each program's rating and count, one program's reviews by page."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.pages.provider.common import my_programs, staff
from navigator.pages.staff_common import page_number
from navigator.web import api, page

router = APIRouter(prefix="/provider/reviews")


@router.get("")
async def reviews(request: Request, program: str | None = None):
    staff(request)
    programs = await my_programs(request)
    chosen = next((p for p in programs if p["id"] == program), None) or next(
        (p for p in programs if p.get("reviews")), None)
    found = None
    if chosen:
        number = page_number(request.query_params.get("page"))
        found = await api(request, "GET", f"/programs/{chosen['id']}/reviews", params={"page": number,
                                                                                  "page_size": 20})
    return page(request, "provider/reviews.html", programs=programs, chosen=chosen, data=found)
