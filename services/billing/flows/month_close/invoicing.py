"""Finishing a payer's month: once every charge is confirmed, each provider with charges, an
advance part or uncorrected reversals for that payer gets its invoice to the payer (charges − the
payer's part of the advance + what the provider's earlier negative settlement with the same payer
carried in − the confirmed reversals of earlier debits no invoice corrected yet). Only
the month-close driver calls it (`jobs/month_close.py`): one place finishes a month."""
from __future__ import annotations

import logging

from sqlalchemy import exists, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import InvoiceIssued, MonthClosed
from pfdo_kit.clock import Clock
from pfdo_kit.outbox import Outbox
from services.billing.domain.invoice import settle
from services.billing.domain.statuses import CLOSED, POSTED
from services.billing.models import INVOICE_SERIAL, ChargeRow, Invoice, MonthClose, Reversal

log = logging.getLogger(__name__)

MONTH_TOTALS_SQL = text("""
WITH charged AS (
    SELECT provider_id, sum(coalesce(debited_kop, 0)) AS charges_kop FROM charges
     WHERE month = :month AND payer = :payer GROUP BY provider_id
), advanced AS (
    SELECT a.provider_id, p.amount_kop AS advance_kop
      FROM advances a JOIN advance_parts p ON p.advance_id = a.id
     WHERE a.month = :month AND p.payer = :payer AND p.amount_kop > 0
), carried AS (
    SELECT DISTINCT ON (provider_id) provider_id, least(settlement_kop, 0) AS carried_in_kop
      FROM invoices WHERE payer = :payer AND month < :month ORDER BY provider_id, month DESC
), corrected AS (
    SELECT provider_id, sum(amount_kop) AS corrections_kop, array_agg(id) AS reversal_ids FROM reversals
     WHERE payer = :payer AND confirmed_at IS NOT NULL AND invoice_id IS NULL GROUP BY provider_id
), providers AS (
    SELECT provider_id FROM charged WHERE charges_kop > 0 UNION SELECT provider_id FROM advanced
    UNION SELECT provider_id FROM corrected
)
SELECT p.provider_id,
       coalesce(ch.charges_kop, 0) AS charges_kop, coalesce(ad.advance_kop, 0) AS advance_kop,
       coalesce(ca.carried_in_kop, 0) AS carried_in_kop,
       coalesce(co.corrections_kop, 0) AS corrections_kop, coalesce(co.reversal_ids, '{}') AS reversal_ids,
       coalesce(pc.short_name, (SELECT provider_name FROM contracts WHERE provider_id = p.provider_id LIMIT 1), '')
           AS provider_name
  FROM providers p
  LEFT JOIN charged ch USING (provider_id)
  LEFT JOIN advanced ad USING (provider_id)
  LEFT JOIN carried ca USING (provider_id)
  LEFT JOIN corrected co USING (provider_id)
  LEFT JOIN providers_copy pc ON pc.id = p.provider_id
 ORDER BY p.provider_id
""")


def invoice_number(month: str, serial: int) -> str:
    """Unique across payers: the serial is the installation's one sequence."""
    return f"СЧ-{month}-{serial:06d}"


async def finish_if_confirmed(session: AsyncSession, outbox: Outbox, clock: Clock, month: str,
                              municipality: str) -> bool:
    """Close the payer's month when it is posted and certificates confirmed every charge. The
    month row's lock makes drivers running at once (one per billing process) close it once."""
    run = await session.get(MonthClose, (month, municipality), with_for_update=True, populate_existing=True)
    if run is None or run.status != POSTED:
        return False
    waiting = await session.scalar(select(exists().where(
        ChargeRow.month == month, ChargeRow.payer == municipality, ChargeRow.confirmed_at.is_(None))))
    if waiting:
        return False
    # One payer's invoices are issued one month at a time: each reads the previous invoice's carry and
    # takes the reversals no invoice corrected yet.
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"billing-invoicing:{municipality}"))))
    totals = (await session.execute(MONTH_TOTALS_SQL, dict(month=month, payer=municipality))).all()
    for t in totals:
        s = settle(t.charges_kop, t.advance_kop, t.carried_in_kop, t.corrections_kop)
        serial = await session.scalar(select(INVOICE_SERIAL.next_value()))
        invoice = Invoice(number=invoice_number(month, serial), provider_id=t.provider_id,
                          provider_name=t.provider_name, payer=municipality, month=month, charges_kop=s.charges_kop,
                          advance_kop=s.advance_kop, carried_in_kop=s.carried_in_kop,
                          corrections_kop=s.corrections_kop, settlement_kop=s.settlement_kop)
        session.add(invoice)
        await session.flush()
        if t.reversal_ids:
            await session.execute(update(Reversal).where(Reversal.id.in_(t.reversal_ids))
                                  .values(invoice_id=invoice.id))
        await outbox.add(session, InvoiceIssued(
            invoice_id=invoice.id, number=invoice.number, provider_id=t.provider_id, month=month,
            charges_kop=s.charges_kop, advance_kop=s.advance_kop, carried_in_kop=s.carried_in_kop,
            settlement_kop=s.settlement_kop, payer=municipality, corrections_kop=s.corrections_kop))
    run.status, run.closed_at, run.invoices_count = CLOSED, clock.now(), len(totals)
    await outbox.add(session, MonthClosed(month=month, charges_kop=sum(t.charges_kop for t in totals),
                                          invoices=len(totals), municipality=municipality))
    log.info("month closed", extra={"month": month, "municipality": municipality, "invoices": len(totals)})
    return True
