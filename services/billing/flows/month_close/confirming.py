"""Certificates' answers to posted charges: what was debited, what fell short, what was
released. Applied set-based per batch; a confirmation is taken once. The contract's totals
were moved by what was asked; they are corrected by what certificates actually did. The
answer that completes a payer's month wakes the driver, which finishes it. A batch is one
payer's month's charges, so its charges name the close to count it in."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, text, update
from sqlalchemy.dialects.postgresql import ARRAY, BIGINT, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.certificates import FundsDebited
from services.billing.flows.month_close.wakeup import wake_driver
from services.billing.models import MonthClose

CONFIRM_SQL = text("""
WITH answers AS (
    SELECT * FROM unnest(:ids, :debited, :shortfall, :released) AS r(id, debited, shortfall, released)
), confirmed AS (
    UPDATE charges c SET debited_kop = a.debited, shortfall_kop = a.shortfall, released_kop = a.released,
                         confirmed_at = :at
      FROM answers a WHERE c.id = a.id AND c.confirmed_at IS NULL
    RETURNING c.contract_id, c.payer, a.shortfall, a.released - c.release_kop AS released_more
), per_contract AS (
    SELECT contract_id, sum(shortfall) AS shortfall, sum(released_more) AS released_more FROM confirmed
     GROUP BY contract_id
), moved AS (  -- most answers are exactly what was asked: those contracts are left alone
    UPDATE contracts k SET charged_kop = k.charged_kop - p.shortfall, released_kop = k.released_kop + p.released_more
      FROM per_contract p WHERE k.id = p.contract_id AND (p.shortfall <> 0 OR p.released_more <> 0)
    RETURNING k.id
)
SELECT payer, count(*) AS taken FROM confirmed GROUP BY payer
""").bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))), bindparam("debited", type_=ARRAY(BIGINT)),
                bindparam("shortfall", type_=ARRAY(BIGINT)), bindparam("released", type_=ARRAY(BIGINT)))


async def confirm(session: AsyncSession, e: FundsDebited, at: datetime) -> int:
    """Take certificates' answers; `at` (the runtime's clock) is when the debits count as made: the
    family's window to dispute them starts that day."""
    r = e.results
    counted = (await session.execute(CONFIRM_SQL, dict(
        at=at, ids=[x.charge_id for x in r], debited=[x.debited_kop for x in r], shortfall=[x.shortfall_kop for x in r],
        released=[x.released_kop for x in r]))).all()
    for payer, taken in counted:
        complete = await session.scalar(update(MonthClose)
                                        .where(MonthClose.month == e.month, MonthClose.municipality == payer)
                                        .values(confirmed_count=MonthClose.confirmed_count + taken)
                                        .returning(MonthClose.confirmed_count >= MonthClose.charges_count))
        if complete:
            await wake_driver(session, e.month, payer)
    return sum(taken for _, taken in counted)
