"""How long each payer's oldest unfinished month close has been running (read on each scrape):
a close that stays unfinished for hours is stuck (the alert `MonthCloseStuck` reads it)."""
from __future__ import annotations

from prometheus_client import Gauge
from sqlalchemy import func, select

from pfdo_kit.runtime import ServiceRuntime
from services.billing.domain.statuses import CLOSED
from services.billing.models import MonthClose

UNFINISHED_AGE = Gauge("pfdo_billing_month_close_unfinished_age_seconds",
                       "Age of the payer's oldest month close not yet closed, 0 when none (read on scrape)",
                       ["municipality"], multiprocess_mode="mostrecent")


async def refresh_month_close_gauge(runtime: ServiceRuntime) -> None:
    async with runtime.reads() as session:
        ages = dict((await session.execute(
            select(MonthClose.municipality, func.extract("epoch", func.now() - func.min(MonthClose.requested_at)))
            .where(MonthClose.status != CLOSED).group_by(MonthClose.municipality))).all())
    for m in runtime.settings.municipalities:
        UNFINISHED_AGE.labels(m.code).set(float(ages.get(m.code) or 0))
