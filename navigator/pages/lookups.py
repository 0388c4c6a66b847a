"""Small public lists kept in memory for a few minutes (the region's municipalities)."""
from __future__ import annotations

import time

from fastapi import Request

from navigator.web import api

TTL_S = 300


async def municipalities(request: Request) -> dict[str, str]:
    """Code → name."""
    lookups = request.app.state.lookups
    cached = lookups.get("municipalities")
    if cached and cached[0] > time.monotonic():
        return cached[1]
    page = await api(request, "GET", "/municipalities", anonymous=True, params={"page_size": 100})
    names = {m["code"]: m["name"] for m in page["items"]}
    lookups["municipalities"] = (time.monotonic() + TTL_S, names)
    return names
