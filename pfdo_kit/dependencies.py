"""The request dependencies every route uses, spelled once as `Annotated` aliases. They are
`async` so FastAPI calls them in the event loop: a plain `def` dependency costs a worker-thread
hop on every request."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from pfdo_kit.auth import Principal, current_principal, optional_principal
from pfdo_kit.clock import Clock
from pfdo_kit.runtime import ServiceRuntime


async def _runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


async def _clock(request: Request) -> Clock:
    return request.app.state.clock


async def _settings(request: Request):
    return request.app.state.settings


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
OptionalPrincipal = Annotated[Principal | None, Depends(optional_principal)]
Runtime = Annotated[ServiceRuntime, Depends(_runtime)]
CurrentClock = Annotated[Clock, Depends(_clock)]
# Each service narrows this to its own settings class: Annotated[BillingSettings, Depends(settings_of)].
settings_of = _settings
