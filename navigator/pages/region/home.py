"""The cabinet's first page."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.roles import require_role
from navigator.web import page

router = APIRouter(prefix="/region")


@router.get("")
async def home(request: Request):
    require_role(request, "regional_operator")
    return page(request, "region/home.html")
