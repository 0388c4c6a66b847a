"""What the provider cabinet's sections share: the staff member's provider, their programs and groups,
reading money and dates typed into forms, and an API refusal turned into the page's errors."""
from __future__ import annotations

import asyncio
import re
from datetime import date, datetime

from fastapi import Request

from navigator.formatting import ZONE
from navigator.gateway import ApiProblem
from navigator.roles import require_role
from navigator.web import api

MONTH = re.compile(r"^20\d{2}-(0[1-9]|1[0-2])$")


def staff(request: Request) -> dict:
    """The provider staff member's account (every page starts here: another role is refused before any call)."""
    return require_role(request, "provider")


async def provider_of(request: Request, account: dict) -> str:
    """The staff member's provider: kept in the session since login (asked of /me for an older session)."""
    if account.get("provider_id"):
        return str(account["provider_id"])
    found = (await api(request, "GET", "/me")).get("provider_id")
    return str(found) if found else ""


def shown_refusal(problem: ApiProblem) -> bool:
    """A refusal the page shows beside its fields (the rest go to the central error pages)."""
    return problem.status < 500 and problem.status != 404 and problem.status != 401


def status_of(problem: ApiProblem) -> int:
    return 409 if problem.status == 409 else 422


def this_month() -> str:
    """The month of the request's moment (Moscow): only a form's default, never a rule."""
    return datetime.now(ZONE).strftime("%Y-%m")


def month_or(value: str | None, default: str) -> str:
    return value if value and MONTH.match(value) else default


def rubles_to_kop(text: str) -> int | None:
    """«1 500», «1500,50», «1500.5» → kopecks; None when it is not a sum."""
    cleaned = re.sub(r"[\s\u00a0₽]", "", text or "").replace(",", ".")
    if not re.fullmatch(r"\d{1,10}(\.\d{1,2})?", cleaned):
        return None
    rubles, _, kop = cleaned.partition(".")
    return int(rubles) * 100 + int((kop + "00")[:2])


def kop_to_rubles(kop: int | None) -> str:
    if kop is None:
        return ""
    rubles, rest = divmod(kop, 100)
    return f"{rubles},{rest:02d}" if rest else str(rubles)


def as_int(text: str | None) -> int | str | None:
    """A number typed into a form: the int, or the text itself (the API then names the field), None if empty."""
    text = (text or "").strip()
    if not text:
        return None
    return int(text) if re.fullmatch(r"-?\d{1,9}", text) else text


def renumbered(errors: dict[str, str], prefix: str, rows: list[int]) -> dict[str, str]:
    """The API's errors for `prefix.N.field` named after the form's row (empty rows were left out)."""
    out = {}
    for name, message in errors.items():
        parts = name.split(".")
        if len(parts) >= 2 and parts[0] == prefix and parts[1].isdigit() and int(parts[1]) < len(rows):
            parts[1] = str(rows[int(parts[1])])
            name = ".".join(parts)
        out[name] = message
    return out


async def my_programs(request: Request, status: str | None = None) -> list[dict]:
    """The provider's programs (newest first), up to 100."""
    found = await api(request, "GET", "/programs/mine", params={"page_size": 100, "status": status})
    return found["items"]


async def my_groups(request: Request) -> list[dict]:
    """Every group of the provider's programs, each with its program's title."""
    programs = await my_programs(request)
    cards = await asyncio.gather(*(api(request, "GET", f"/programs/{p['id']}") for p in programs if p.get("groups")))
    groups = []
    for card in cards:
        for g in card.get("groups") or []:
            groups.append({**g, "program_title": card["title"], "program_status": card["status"]})
    return groups


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        return None
