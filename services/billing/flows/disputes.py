"""A family's dispute of a debit, step by step: opened by the family within the region's window,
answered by the provider (a reversal for what it agrees to give back), decided by the payer's
operator for what stays open, or withdrawn by the family. Each step is recorded in the history
(who, when, why), announced on the bus, and takes effect once: the dispute row is locked and its
status checked, so a step sent twice or at the same moment finds the first one done."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import DebitReversed, DisputeAnswered, DisputeDecided, DisputeOpened, DisputeWithdrawn
from pfdo_kit.auth import Principal
from pfdo_kit.clock import Clock
from pfdo_kit.errors import conflict, invalid
from pfdo_kit.outbox import Outbox
from pfdo_kit.transitions import IllegalMove
from services.billing.domain import disputes as rules
from services.billing.domain.statuses import AWAITING_PROVIDER, DISPUTE_TRANSITIONS, RESOLVED
from services.billing.models import ChargeRow, Contract, Dispute, DisputeHistory, Reversal

ANSWER_STEPS = {"agree_full": "agreed_in_full", "agree_part": "agreed_in_part", "disagree": "disagreed"}


def _refused(e: rules.DisputeRefused):
    return invalid(e.field, e.title)


def _closed(dispute: Dispute, action: str):
    return conflict("dispute-step-done", "Этот шаг спора уже сделан или спор закрыт", field="status",
                    detail=f"dispute is {dispute.status}, cannot {action}")


async def _record(session: AsyncSession, dispute: Dispute, step: str, principal: Principal | None, at: datetime,
                  comment: str | None = None, amount_kop: int | None = None) -> None:
    session.add(DisputeHistory(dispute_id=dispute.id, step=step, actor=principal.actor if principal else "system",
                               role=principal.role if principal else "system", comment=comment,
                               amount_kop=amount_kop, at=at))


def _news(cls, dispute: Dispute, contract: Contract, actor: str, comment: str | None, **extra):
    return cls(dispute_id=dispute.id, charge_id=dispute.charge_id, contract_id=dispute.contract_id,
               contract_number=contract.number, program_title=contract.program_title, month=dispute.month,
               owner=dispute.owner, provider_id=dispute.provider_id, payer=dispute.payer, status=dispute.status,
               debited_kop=dispute.debited_kop, reversed_kop=dispute.reversed_kop, actor=actor, comment=comment,
               **extra)


async def open_dispute(session: AsyncSession, outbox: Outbox, clock: Clock, charge: ChargeRow, contract: Contract,
                       principal: Principal, reason: str, window_days: int, answer_days: int) -> Dispute:
    """The family disputes the debit of `charge` (its row locked by the caller); one dispute per debit."""
    debited_on = clock.local(charge.confirmed_at).date() if charge.confirmed_at else None
    try:
        rules.check_opening(charge.debited_kop or 0, debited_on, clock.today(), window_days)
    except rules.DisputeRefused as e:
        raise conflict("dispute-not-allowed", e.title, field=e.field) from None
    now = clock.now()
    created = (await session.execute(insert(Dispute).values(
        charge_id=charge.id, contract_id=contract.id, owner=contract.owner, provider_id=contract.provider_id,
        payer=contract.payer, month=charge.month, debited_kop=charge.debited_kop, status=AWAITING_PROVIDER,
        reason=reason, opened_by=principal.actor, opened_at=now,
        answer_due=rules.answer_due(clock.today(), answer_days)).on_conflict_do_nothing().returning(Dispute.id))).first()
    if created is None:
        raise conflict("dispute-exists", "Это списание уже оспорено: по одному списанию — один спор",
                       field="charge_id")
    dispute = await session.get(Dispute, created.id)
    await _record(session, dispute, "opened", principal, now, reason)
    await outbox.add(session, _news(DisputeOpened, dispute, contract, principal.actor, reason,
                                    answer_due=dispute.answer_due))
    return dispute


async def answer(session: AsyncSession, outbox: Outbox, clock: Clock, dispute: Dispute, contract: Contract,
                 principal: Principal, reply: str, amount_kop: int | None, comment: str | None) -> None:
    """The provider's answer to a dispute (locked by the caller)."""
    try:
        status = DISPUTE_TRANSITIONS.next(dispute.status, reply)
    except IllegalMove:
        raise _closed(dispute, reply) from None
    try:
        given = rules.provider_reversal(reply, dispute.debited_kop - dispute.reversed_kop, amount_kop, comment)
    except rules.DisputeRefused as e:
        raise _refused(e) from None
    now = clock.now()
    dispute.status, dispute.provider_answer, dispute.provider_comment = status, reply, comment
    dispute.answered_by, dispute.answered_at = principal.actor, now
    if status == RESOLVED:
        dispute.closed_at = now
    await _record(session, dispute, ANSWER_STEPS[reply], principal, now, comment, given)
    await _reverse(session, outbox, dispute, "provider", given, now)
    await outbox.add(session, _news(DisputeAnswered, dispute, contract, principal.actor, comment, answer=reply,
                                    reversal_kop=given))


async def decide(session: AsyncSession, outbox: Outbox, clock: Clock, dispute: Dispute, contract: Contract,
                 principal: Principal, amount_kop: int, comment: str | None) -> None:
    """The payer's operator decides what is still open (after the provider's answer or its deadline)."""
    if not DISPUTE_TRANSITIONS.can(dispute.status, "decide"):
        raise _closed(dispute, "decide")
    if not rules.operator_may_decide(dispute.status, dispute.answer_due, clock.today()):
        raise conflict("provider-may-still-answer",
                       f"Организатор может ответить до {dispute.answer_due:%d.%m.%Y}: решение — после его ответа "
                       "или после этого дня", field="status")
    try:
        given = rules.operator_reversal(dispute.debited_kop - dispute.reversed_kop, amount_kop, comment)
    except rules.DisputeRefused as e:
        raise _refused(e) from None
    now = clock.now()
    dispute.status = DISPUTE_TRANSITIONS.next(dispute.status, "decide")
    dispute.decision_comment, dispute.decided_by, dispute.decided_at, dispute.closed_at = (
        comment, principal.actor, now, now)
    await _record(session, dispute, "decided", principal, now, comment, given)
    await _reverse(session, outbox, dispute, "operator", given, now)
    await outbox.add(session, _news(DisputeDecided, dispute, contract, principal.actor, comment, reversal_kop=given))


async def withdraw(session: AsyncSession, outbox: Outbox, clock: Clock, dispute: Dispute, contract: Contract,
                   principal: Principal, comment: str | None) -> None:
    if not DISPUTE_TRANSITIONS.can(dispute.status, "withdraw"):
        raise _closed(dispute, "withdraw")
    now = clock.now()
    dispute.status, dispute.closed_at = DISPUTE_TRANSITIONS.next(dispute.status, "withdraw"), now
    await _record(session, dispute, "withdrawn", principal, now, comment)
    await outbox.add(session, _news(DisputeWithdrawn, dispute, contract, principal.actor, comment))


async def _reverse(session: AsyncSession, outbox: Outbox, dispute: Dispute, stage: str, amount_kop: int,
                   now: datetime) -> None:
    """Give `amount_kop` of the debit back: a reversal (once per dispute and stage) and its event."""
    if amount_kop <= 0:
        return
    charge = await session.get(ChargeRow, dispute.charge_id)
    reversal = Reversal(dispute_id=dispute.id, stage=stage, charge_id=charge.id, contract_id=charge.contract_id,
                        certificate_id=charge.certificate_id, provider_id=charge.provider_id, payer=charge.payer,
                        month=charge.month, amount_kop=amount_kop, created_at=now)
    session.add(reversal)
    dispute.reversed_kop += amount_kop
    await session.flush()
    await outbox.add(session, DebitReversed(reversal_id=reversal.id, dispute_id=dispute.id, charge_id=charge.id,
                                            contract_id=charge.contract_id, certificate_id=charge.certificate_id,
                                            month=charge.month, amount_kop=amount_kop))


async def confirm_reversal(session: AsyncSession, clock: Clock, reversal_id, at: datetime) -> None:
    """Certificates put the reversal on the ledger: it may now correct the provider's next invoice."""
    reversal = await session.get(Reversal, reversal_id, with_for_update=True)
    if reversal is None or reversal.confirmed_at is not None:
        return  # not ours, or a repeated answer
    reversal.confirmed_at = at
    # Locked as a step on the dispute locks it: an answer read under that lock shows this
    # reversal confirmed together with its step in the history, or neither.
    dispute = await session.get(Dispute, reversal.dispute_id, with_for_update=True)
    await _record(session, dispute, "reversal_confirmed", None, clock.now(), None, reversal.amount_kop)
