"""Month close: the operator asks once; the close runs in the background (`jobs/month_close.py`)
and reports its progress here."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pfdo_events.catalog import Month
from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from services.billing.api.dependencies import Settings
from services.billing.api.schemas import MonthCloseOut
from services.billing.domain.access import DISTRICT_STAFF
from services.billing.flows.month_close.requesting import request_close
from services.billing.queries.months import month_close

router = APIRouter(prefix="/api/v1", tags=["month close"], responses=API_ERRORS)
MonthPath = Annotated[Month, Path(description="YYYY-MM")]


@router.post("/billing/months/{month}/close", status_code=status.HTTP_202_ACCEPTED, response_model=MonthCloseOut,
             summary="Закрыть месяц: начислить списания и выставить счета")
async def close_month(month: MonthPath, rt: Runtime, settings: Settings, clock: CurrentClock,
                      principal: CurrentPrincipal):
    """Idempotent: asking again answers the same close. Progress: `GET /billing/months/{month}`."""
    require_role(principal, *DISTRICT_STAFF)
    async with rt.sessions() as session, session.begin():
        run = await request_close(session, month, settings.delivered_rule, principal.actor, clock.today())
        return MonthCloseOut.model_validate(run)


@router.get("/billing/months/{month}", response_model=MonthCloseOut)
async def month_status(month: MonthPath, rt: Runtime, principal: CurrentPrincipal):
    require_role(principal, *DISTRICT_STAFF)
    async with rt.sessions() as session:
        run = await month_close(session, month)
        if run is None:
            raise not_found("Закрытие этого месяца не запрашивалось")
        return MonthCloseOut.model_validate(run)
