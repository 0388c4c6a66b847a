"""What the operator's pages share: the operator's municipality, and an overview's call that may go unanswered
(months, money and refusals are in navigator/pages/staff_common)."""
from __future__ import annotations

from typing import Any

from fastapi import Request

from navigator.gateway import ApiProblem
from navigator.web import api


def municipality_of(account: dict) -> str:
    return account.get("municipality") or ""


async def maybe(request: Request, method: str, path: str, **kwargs: Any) -> Any:
    """The API's answer, or None when it refuses or is away: an overview shows what it can."""
    try:
        return await api(request, method, path, **kwargs)
    except ApiProblem as problem:
        if problem.status == 401:
            raise
        return None
