"""What the provider cabinet's sections share: the staff member's provider, their programs and groups, numbers
and dates typed into forms, and the API's errors of a form's rows (the rest is in navigator/pages/staff_common)."""
from __future__ import annotations

import re
from datetime import date

from fastapi import Request

from navigator.pages.staff_common import digits, every_page
from navigator.roles import require_role
from navigator.web import api


def staff(request: Request) -> dict:
    """The provider staff member's account (every page starts here: another role is refused before any call)."""
    return require_role(request, "provider")


async def provider_of(request: Request, account: dict) -> str:
    """The staff member's provider: kept in the session since login (asked of /me for an older session)."""
    if account.get("provider_id"):
        return str(account["provider_id"])
    found = (await api(request, "GET", "/me")).get("provider_id")
    return str(found) if found else ""


def as_int(text: str | None) -> int | str | None:
    """A number typed into a form: the int, or the text itself (the API then names the field), None if empty."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"-?[0-9]{1,9}", text) else text


def renumbered(errors: dict[str, str], prefix: str, rows: list[int]) -> dict[str, str]:
    """The API's errors for `prefix.N.field` named after the form's row (empty rows were left out)."""
    out = {}
    for name, message in errors.items():
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == prefix and digits(parts[1]) and int(parts[1]) < len(rows):
            parts[1] = str(rows[int(parts[1])])
            name = ".".join(parts)
        out[name] = message
    return out


async def my_programs(request: Request, status: str | None = None) -> list[dict]:
    """The provider's programs (newest first), up to 100."""
    found = await api(request, "GET", "/programs/mine", params={"page_size": 100, "status": status})
    return found["items"]


async def my_groups(request: Request) -> list[dict]:
    """Every group of the provider's programs, each card with its program's title and status (`GET /groups/mine`)."""
    return await every_page(request, "/groups/mine")


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None
