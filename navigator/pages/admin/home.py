"""The cabinet's first page."""
from __future__ import annotations

from fastapi import APIRouter, Request

from navigator.roles import require_role
from navigator.web import page

router = APIRouter(prefix="/admin")


@router.get("")
async def home(request: Request):
    require_role(request, "admin")
    return page(request, "admin/home.html")
