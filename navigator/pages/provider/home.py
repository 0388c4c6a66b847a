"""The cabinet's first page."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.roles import require_role
from navigator.web import page

router = APIRouter(prefix="/provider")


@router.get("")
async def home(request: Request):
    require_role(request, "provider")
    return page(request, "provider/home.html")
