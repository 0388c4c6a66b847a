"""A dispute gave money back: the `reversal` entry on the certificate (once per reversal, never
above what was debited), the agreement's usage given back, and the answer to billing. The
certificate's row lock (taken by the guarded update) orders it with the month's debits."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import DebitReversed
from pfdo_events.certificates import FundsReversed
from pfdo_kit.outbox import Outbox
from services.certificates.domain.agreements import AgreementKey
from services.certificates.flows import agreements
from services.certificates.flows.balance_news import announce_balance
from services.certificates.flows.ledger import post_entry
from services.certificates.models import Certificate, Child, Reservation


def reversal_cause(reversal_id) -> str:
    return f"reversal:{reversal_id}"


async def reverse_debit(session: AsyncSession, outbox: Outbox, e: DebitReversed) -> None:
    posted = await post_entry(session, e.certificate_id, "reversal", e.amount_kop, reversal_cause(e.reversal_id),
                              contract_id=e.contract_id, month=e.month)
    if posted.duplicate:
        return  # answered when it was posted
    reservation = await session.get(Reservation, e.contract_id)
    if reservation is not None and None not in (reservation.provider_id, reservation.payer, reservation.period_year):
        key = AgreementKey(reservation.provider_id, reservation.payer, reservation.period_year)
        await agreements.give_back(session, outbox, {key: e.amount_kop})
    owner = await session.scalar(select(Child.owner).join(Certificate, Certificate.child_id == Child.id)
                                 .where(Certificate.id == e.certificate_id))
    await outbox.add(session, FundsReversed(reversal_id=e.reversal_id, certificate_id=e.certificate_id,
                                            contract_id=e.contract_id, amount_kop=e.amount_kop, owner=owner))
    await announce_balance(session, outbox, e.certificate_id, int(e.month[:4]))
