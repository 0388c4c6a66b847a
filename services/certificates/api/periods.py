"""Funding periods: the operator sets the year's parameters, opens and closes it (the credits
and the expiry run in the background and report their progress)."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.certificates.api.schemas import PeriodIn, PeriodOut, RunOut
from services.certificates.api.views import period_view, run_href, run_view
from services.certificates.domain.access import STAFF_ROLES
from services.certificates.flows import periods
from services.certificates.queries.periods import find_period
from services.certificates.queries.runs import visible_run

router = APIRouter(prefix="/api/v1", tags=["periods"], responses=API_ERRORS)
Year = Annotated[int, Path(ge=2020, le=2100)]


@router.put("/periods/{year}", response_model=PeriodOut)
async def set_period(year: Year, body: PeriodIn, principal: CurrentPrincipal, rt: Runtime):
    require_role(principal, *STAFF_ROLES)
    values = body.model_dump(mode="json")
    values["starts_on"], values["ends_on"] = body.starts_on, body.ends_on
    async with rt.sessions() as session, session.begin():
        return period_view(await periods.put_period(session, year, values))


@router.get("/periods/{year}", response_model=PeriodOut)
async def get_period(year: Year, _: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session:
        return period_view(await find_period(session, year))


@router.post("/periods/{year}/open", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut,
             summary="Открыть период: начислить номиналы сертификатам ПФ")
async def open_period(year: Year, response: Response, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    """The period opens now; the credits run in the background (asking again while they run
    answers the same run; asking after it finished credits what an earlier run left).
    Progress: `GET /periods/{year}/runs/{run_id}`."""
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session, session.begin():
        run = await periods.open_period(session, principal, year, clock.now())
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.post("/periods/{year}/close", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut,
             summary="Закрыть период: несвязанный остаток сгорает")
async def close_period(year: Year, response: Response, principal: CurrentPrincipal, rt: Runtime,
                       clock: CurrentClock):
    """The period closes now; what is not reserved expires in the background. Safe to ask again.
    Progress: `GET /periods/{year}/runs/{run_id}`."""
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session, session.begin():
        run = await periods.close_period(session, principal, year, clock.now())
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.get("/periods/{year}/runs/{run_id}", response_model=RunOut)
async def period_run(year: Year, run_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    """An opening's or closing's progress: status, certificates worked of the total, figures."""
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session:
        return run_view(await visible_run(session, principal, run_id, period_year=year))
