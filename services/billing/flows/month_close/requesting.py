"""A payer's operator asks to close the payer's month: recorded once (asking again answers the
same close), and the driver is woken to run it."""
from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.calendar import last_day
from pfdo_kit.errors import conflict
from services.billing.domain.statuses import CHARGING
from services.billing.flows.month_close.wakeup import wake_driver
from services.billing.models import Contract, ContractMonth, MonthClose


async def _earlier_open_month(session: AsyncSession, month: str, municipality: str) -> str | None:
    """The payer's first earlier month with contract shares whose close was never asked for."""
    closes = select(MonthClose.month).where(MonthClose.municipality == municipality)
    return await session.scalar(
        select(func.min(ContractMonth.month)).join(Contract, Contract.id == ContractMonth.contract_id)
        .where(Contract.payer == municipality, ContractMonth.month < month, ContractMonth.month.not_in(closes)))


async def request_close(session: AsyncSession, month: str, municipality: str, rule: str, actor: str,
                        today: date) -> MonthClose:
    if today <= last_day(month):
        raise conflict("month-not-over", "Месяц ещё не закончился", field="month")
    if (earlier := await _earlier_open_month(session, month, municipality)) is not None:
        raise conflict("earlier-month-open", f"Сначала закройте {earlier}: месяцы закрываются по порядку",
                       field="month")
    await session.execute(insert(MonthClose).values(
        month=month, municipality=municipality, status=CHARGING, rule=rule, requested_by=actor)
        .on_conflict_do_nothing())
    await wake_driver(session, month, municipality)
    return await session.get(MonthClose, (month, municipality))
