"""Month close: the operator asks once; the close runs in the background and reports progress."""
from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from pfdo_events.catalog import Month
from pfdo_kit.auth import Principal, current_principal, require_role
from pfdo_kit.errors import API_ERRORS, conflict, not_found
from services.billing.api.access import today
from services.billing.domain.contracts import month_bounds
from services.billing.models import ContractMonth, MonthClose

router = APIRouter(prefix="/api/v1", tags=["month close"], responses=API_ERRORS)
MonthPath = Annotated[Month, Path(description="YYYY-MM")]


class MonthCloseOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    month: str
    status: str
    rule: str
    requested_by: str
    requested_at: datetime
    charges_count: int
    charges_kop: int
    batches_posted: int
    confirmed_count: int
    invoices_count: int
    closed_at: datetime | None


async def _earlier_open_month(session, month: str) -> str | None:
    """The first earlier month with contract shares whose close was never asked for."""
    return await session.scalar(select(func.min(ContractMonth.month)).where(
        ContractMonth.month < month, ContractMonth.month.not_in(select(MonthClose.month))))


@router.post("/billing/months/{month}/close", status_code=status.HTTP_202_ACCEPTED, response_model=MonthCloseOut,
             summary="Закрыть месяц: начислить списания и выставить счета")
async def close_month(month: MonthPath, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    """Idempotent: asking again answers the same close. Progress: `GET /billing/months/{month}`."""
    require_role(principal, "operator", "admin")
    rt = request.app.state.runtime
    if today(request) <= month_bounds(month)[1]:
        raise conflict("month-not-over", "Месяц ещё не закончился", field="month")
    async with rt.sessions() as session, session.begin():
        if (earlier := await _earlier_open_month(session, month)) is not None:
            raise conflict("earlier-month-open", f"Сначала закройте {earlier}: месяцы закрываются по порядку",
                           field="month")
        await session.execute(insert(MonthClose).values(
            month=month, status="charging", rule=request.app.state.settings.delivered_rule,
            requested_by=principal.actor).on_conflict_do_nothing())
        run = await session.get(MonthClose, month)
        out = MonthCloseOut.model_validate(run)
    wakeup = getattr(rt, "month_close_wakeup", None)
    if wakeup is not None:
        wakeup.set()
    return out


@router.get("/billing/months/{month}", response_model=MonthCloseOut)
async def month_status(month: MonthPath, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "operator", "admin")
    async with request.app.state.runtime.sessions() as session:
        run = await session.get(MonthClose, month)
        if run is None:
            raise not_found("Закрытие этого месяца не запрашивалось")
        return MonthCloseOut.model_validate(run)
