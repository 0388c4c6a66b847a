"""Charging a payer's month: one set-based statement computes every billable contract of that
payer's charge by the region's rule (the same rule as `domain.charges.charge_kop`, tested
against it), inserts the charges once per contract and month, and moves the contracts' charged
totals."""
from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.calendar import first_day, last_day
from services.billing.domain.statuses import CHARGING, POSTING
from services.billing.flows.month_close.locks import lock_month
from services.billing.models import MonthClose

# Every contract of the payer :municipality not closed out that holds a share for :month within
# its (possibly shortened) term gets a charge row: signed by the month's end, it is charged by the
# rule; otherwise (an unsigned offer) nothing is charged. Either way the undelivered rest of the share is released.
# A signed contract whose term ended by :month gets its final charge: certificates then
# releases all it still holds.
CHARGE_MONTH_SQL = text("""
WITH due AS (
    SELECT c.id AS contract_id, c.certificate_id, c.provider_id,
           coalesce(cm.certificate_kop, 0) AS share_kop,
           coalesce(cm.planned_lessons, 0) AS planned,
           coalesce(att.attended, 0) AS attended,
           c.reserved_kop - c.released_kop - c.charged_kop AS still_reserved,
           c.signed_on IS NOT NULL AND c.signed_on <= :ends AS signed,
           c.signed_on IS NOT NULL AND c.last_month <= :month AS final,
           cm.month IS NOT NULL AND :month <= c.last_month AS billable
      FROM contracts c
      LEFT JOIN contract_months cm ON cm.contract_id = c.id AND cm.month = :month
      LEFT JOIN LATERAL (
           SELECT count(*) AS attended FROM attendance a
            WHERE a.contract_id = c.id AND a.present
              AND a.lesson_date BETWEEN :starts AND least(:ends, coalesce(c.terminated_on, :ends))
      ) att ON true
     WHERE c.payer = :municipality
       AND c.status IN ('offered', 'signed', 'terminated') AND NOT c.closed_out AND c.first_month <= :month
       AND ((cm.month IS NOT NULL AND :month <= c.last_month) OR (c.signed_on IS NOT NULL AND c.last_month <= :month))
), priced AS (
    SELECT due.*,
           CASE WHEN NOT signed OR NOT billable OR attended <= 0 OR share_kop <= 0 OR planned <= 0 THEN 0
                WHEN :rule = 'full_month' THEN share_kop
                ELSE (2 * share_kop * least(attended, planned) + planned) / (2 * planned)
           END AS due_kop
      FROM due
), capped AS (
    SELECT priced.*, least(due_kop, greatest(still_reserved, 0)) AS amount_kop FROM priced
), charged AS (
    SELECT capped.*,
           CASE WHEN final THEN greatest(still_reserved - amount_kop, 0)
                WHEN billable THEN least(share_kop - amount_kop, greatest(still_reserved - amount_kop, 0))
                ELSE 0
           END AS release_kop
      FROM capped
), inserted AS (
    INSERT INTO charges (month, payer, contract_id, certificate_id, provider_id, share_kop, planned_lessons,
                         attended_lessons, amount_kop, release_kop, final)
    SELECT :month, :municipality, contract_id, certificate_id, provider_id, share_kop, planned, attended,
           amount_kop, release_kop, final
      FROM charged
     WHERE amount_kop > 0 OR release_kop > 0
    ON CONFLICT (contract_id, month) DO NOTHING
    RETURNING contract_id, amount_kop, release_kop, final
), moved AS (
    UPDATE contracts c SET charged_kop = c.charged_kop + i.amount_kop, released_kop = c.released_kop + i.release_kop,
                           closed_out = c.closed_out OR i.final
      FROM inserted i WHERE c.id = i.contract_id
    RETURNING c.id
), finished AS (  -- the term is over with nothing due and nothing held: no charge to send, just done
    UPDATE contracts c SET closed_out = true
      FROM charged WHERE c.id = charged.contract_id AND charged.final
       AND charged.amount_kop = 0 AND charged.release_kop = 0
    RETURNING c.id
)
SELECT (SELECT count(*) FROM inserted) AS charges, (SELECT coalesce(sum(amount_kop), 0) FROM inserted) AS kop,
       (SELECT count(*) FROM moved) + (SELECT count(*) FROM finished) AS contracts
""")


async def charge_month(session: AsyncSession, month: str, municipality: str) -> bool:
    """Charge the payer's month if it is still at the charging step; True if this call did it.
    The month row's lock makes a concurrent second run wait and then find the work done."""
    await lock_month(session, month, municipality)
    run = await session.get(MonthClose, (month, municipality), with_for_update=True, populate_existing=True)
    if run is None or run.status != CHARGING:
        return False
    earlier = await session.scalar(select(MonthClose.month).where(
        MonthClose.municipality == municipality, MonthClose.month < month, MonthClose.status == CHARGING).limit(1))
    if earlier is not None:
        return False  # a payer's months are charged in order: the driver comes back after the earlier one
    starts, ends = first_day(month), last_day(month)
    result = (await session.execute(CHARGE_MONTH_SQL, dict(month=month, municipality=municipality, starts=starts,
                                                           ends=ends, rule=run.rule))).one()
    run.status, run.charges_count, run.charges_kop = POSTING, result.charges, result.kop
    return True
