"""The catalog's own request dependencies: its settings, and what the search routes need (the
kit's aliases cover the rest)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from pfdo_kit.clock import Clock
from pfdo_kit.dependencies import settings_of
from services.catalog.queries.query_plans import QueryPlans
from services.catalog.queries.reads import SearchReads
from services.catalog.settings import CatalogSettings

Settings = Annotated[CatalogSettings, Depends(settings_of)]


@dataclass(frozen=True)
class Searching:
    """What search and suggestions need, made once with the app (app.state.searching)."""

    reads: SearchReads
    plans: QueryPlans
    clock: Clock
    settings: CatalogSettings


async def _searching(request: Request) -> Searching:
    # async: a plain `def` dependency runs in a worker thread, a hop that cost search ~10 % of its time
    return request.app.state.searching


SearchingNow = Annotated[Searching, Depends(_searching)]
