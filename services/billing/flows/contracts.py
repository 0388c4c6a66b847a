"""A contract's life on the billing side: drafted from an acceptance, offered once the money
is reserved (void if it is refused), signed by the family, ended by the family, the provider,
the operator or the system (a withdrawn application, a closed certificate, a suspended or
excluded provider) — and the events each step sends. Signing keeps the offer the family signed
and ending a signed contract keeps its notice (flows/documents.py), in the same transaction."""
from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import ContractOffered, ContractSigned, ContractTerminated
from pfdo_events.catalog import ApplicationAccepted
from pfdo_kit.calendar import last_day, month_of
from pfdo_kit.errors import conflict, invalid
from pfdo_kit.outbox import Outbox
from services.billing.domain.contracts import contract_number, keep_on_termination, termination_date_problem
from services.billing.domain.statuses import CONTRACT_TRANSITIONS, DRAFT, ENDED, RUNNING, SIGNED, VOID
from services.billing.flows.documents import Paperwork, notice_termination, sign_offer
from services.billing.flows.offer_queue import queue_offer
from services.billing.models import CONTRACT_SERIAL, ChargeRow, Contract, ContractMonth, ReservationOutcome

SYSTEM = "system"


class AcceptanceNotYetSeen(Exception):
    """A withdrawal overtook the acceptance it withdraws: retried until the acceptance lands."""


async def lock_application(session: AsyncSession, application_id: uuid.UUID) -> None:
    """Events about one application (accepted, reserved or refused, cancelled) come from two
    services and may be handled at the same moment; each handler takes this lock first, so the
    later one sees what the earlier one committed (otherwise an acceptance and its reservation,
    handled together, would each miss the other and leave the contract a draft forever)."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"billing-application:{application_id}"))))


async def payer_of(session: AsyncSession, e: ApplicationAccepted) -> str:
    """Who pays: the certificate's municipality, as the acceptance names it. An acceptance from
    before regions does not: then the certificate's municipality as billing knows it (another
    contract of the same certificate that named it), else the program's municipality (in a
    one-district installation, the district itself)."""
    if e.payer is not None:
        return e.payer
    known = await session.scalar(select(Contract.payer).where(Contract.certificate_id == e.certificate_id)
                                 .order_by(Contract.created_at.desc()).limit(1))
    return known or e.municipality


async def draft(session: AsyncSession, outbox: Outbox, e: ApplicationAccepted, today: date) -> Contract | None:
    """Draft the contract from the acceptance; an answer from certificates that came first applies now."""
    await lock_application(session, e.application_id)
    payer = await payer_of(session, e)
    serial = await session.scalar(select(CONTRACT_SERIAL.next_value()))
    months = sorted(e.months, key=lambda m: m.month)
    created = await session.execute(insert(Contract).values(
        id=e.application_id, number=contract_number(serial, e.period_year), status=DRAFT, owner=e.owner,
        municipality=e.municipality, payer=payer, period_year=e.period_year, child_id=e.child_id,
        certificate_id=e.certificate_id, provider_id=e.provider_id,
        provider_name=e.provider_name, program_id=e.program_id, program_title=e.program_title, group_id=e.group_id,
        program_register=e.program_register, starts_on=e.starts_on, ends_on=e.ends_on,
        weekly_schedule=[lesson.model_dump() for lesson in e.weekly_schedule], group_name=e.group_name, venue=e.venue,
        first_month=months[0].month if months else None, last_month=months[-1].month if months else None,
    ).on_conflict_do_nothing().returning(Contract.id))
    if created.first() is None:
        return None  # drafted before
    if months:
        await session.execute(insert(ContractMonth).values([
            dict(contract_id=e.application_id, month=m.month, certificate_kop=m.certificate_kop, copay_kop=m.copay_kop,
                 planned_lessons=m.planned_lessons) for m in months]))
    contract = await session.get(Contract, e.application_id, with_for_update=True)
    outcome = await session.get(ReservationOutcome, e.application_id)
    if outcome is not None:
        await _apply_outcome(session, outbox, contract, outcome, today)
    return contract


async def record_reservation(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, *, reserved: bool,
                             amount_kop: int, reason: str | None, today: date,
                             parties: dict | None = None) -> None:
    """Certificates reserved the money (the draft becomes an offer) or refused (the draft is
    void). The answer is kept: it may come before the acceptance that drafts the contract.
    `parties`: the certificate's number and the child's name and birth date, which the offer names."""
    await lock_application(session, application_id)
    values = dict(reserved=reserved, amount_kop=amount_kop, reason=reason, **(parties or {}))
    await session.execute(insert(ReservationOutcome).values(application_id=application_id, **values)
                          .on_conflict_do_nothing())
    contract = await session.get(Contract, application_id, with_for_update=True)
    if contract is not None:
        await _apply_outcome(session, outbox, contract, ReservationOutcome(**values), today)


async def _apply_outcome(session: AsyncSession, outbox: Outbox, contract: Contract, outcome: ReservationOutcome,
                         today: date) -> None:
    if not outcome.reserved:
        if contract.status == DRAFT:
            contract.status, contract.closed_out, contract.end_reason = CONTRACT_TRANSITIONS.next(DRAFT, "void"), True, outcome.reason
        return
    if contract.status == DRAFT:
        contract.status, contract.reserved_kop = CONTRACT_TRANSITIONS.next(DRAFT, "offer"), outcome.amount_kop
        contract.certificate_number = outcome.certificate_number
        contract.child_full_name, contract.child_birth_date = outcome.child_full_name, outcome.child_birth_date
        await queue_offer(session, contract.id)
        await outbox.add(session, ContractOffered(contract_id=contract.id, number=contract.number,
                                                  certificate_id=contract.certificate_id, owner=contract.owner,
                                                  reserved_kop=outcome.amount_kop, program_title=contract.program_title,
                                                  provider_name=contract.provider_name))
    elif contract.status == VOID and contract.reserved_kop == 0 and outcome.amount_kop > 0:
        # Withdrawn before the money was reserved: the reservation made since must go back.
        contract.reserved_kop = outcome.amount_kop
        await _release_all(session, outbox, contract, today, SYSTEM)


def _terminated(contract: Contract, on: date, by: str, keep_kop: int) -> ContractTerminated:
    """The news of an ending: whose contract, what it was, why, and whether it had been signed
    (an offer withdrawn before signing is news to nobody but certificates)."""
    return ContractTerminated(contract_id=contract.id, certificate_id=contract.certificate_id, terminated_on=on, by=by,
                              keep_kop=keep_kop, owner=contract.owner, number=contract.number,
                              program_title=contract.program_title, reason=contract.end_reason,
                              was_signed=contract.signed_on is not None)


async def _release_all(session: AsyncSession, outbox: Outbox, contract: Contract, on: date, by: str) -> None:
    contract.released_kop = contract.reserved_kop - contract.charged_kop
    await outbox.add(session, _terminated(contract, on, by, keep_kop=0))


async def sign(session: AsyncSession, outbox: Outbox, contract: Contract, by: str, today: date, paper: Paperwork,
               read_sha256: str | None = None) -> None:
    """The family signs the offer, which is kept as it reads now (if `read_sha256`, the hash of the
    offer it read, differs, nothing is signed); signing twice changes nothing."""
    if contract.status == SIGNED:
        return
    if not CONTRACT_TRANSITIONS.can(contract.status, "sign"):
        raise conflict("not-offered", "Договор нельзя подписать: средства ещё не зарезервированы или договор прекращён",
                       field="status", detail=f"contract is {contract.status}")
    if today > contract.ends_on:
        raise conflict("offer-expired", "Срок обучения по договору уже закончился", field="status")
    await sign_offer(session, paper, contract, by, read_sha256)
    contract.status, contract.signed_on, contract.signed_by = CONTRACT_TRANSITIONS.next(contract.status, "sign"), today, by
    await outbox.add(session, ContractSigned(contract_id=contract.id, certificate_id=contract.certificate_id,
                                             signed_on=today, owner=contract.owner, number=contract.number,
                                             program_title=contract.program_title))


async def terminate(session: AsyncSession, outbox: Outbox, contract: Contract, on: date, by: str, reason: str,
                    today: date, paper: Paperwork, actor: str) -> None:
    """A person (`by` their role, `actor` their account) ends the contract on `on` (not in the
    past, not after its end)."""
    if contract.status in ENDED or contract.closed_out:
        raise conflict("contract-ended", "Договор уже прекращён", field="status",
                       detail=f"contract is {contract.status}")
    if (problem := termination_date_problem(on, today, contract.ends_on)) is not None:
        raise invalid("terminated_on", problem)
    await _end(session, outbox, contract, on, by, reason, paper, actor)


async def withdraw(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, was_accepted: bool,
                   today: date, paper: Paperwork) -> None:
    """The family withdrew its application: its contract ends (void if never signed)."""
    await lock_application(session, application_id)
    contract = await session.get(Contract, application_id, with_for_update=True)
    if contract is None:
        if was_accepted:
            raise AcceptanceNotYetSeen(str(application_id))
        return
    await _end(session, outbox, contract, today, "parent", "Заявка отозвана семьёй", paper,
               f"parent:{contract.owner}")


async def end_for_closed_certificate(session: AsyncSession, outbox: Outbox, certificate_id: uuid.UUID,
                                     today: date, paper: Paperwork) -> None:
    for contract in await _running(session, Contract.certificate_id == certificate_id):
        on = max(today, contract.signed_on or today)
        await _end(session, outbox, contract, min(on, contract.ends_on), SYSTEM, "Сертификат закрыт", paper, SYSTEM)


async def end_for_provider(session: AsyncSession, outbox: Outbox, provider_id: uuid.UUID, reason: str,
                           today: date, paper: Paperwork) -> None:
    """A suspended or excluded provider's signed contracts finish the month and end (the
    district's rule); unsigned offers end at once."""
    month_end = last_day(month_of(today))
    for contract in await _running(session, Contract.provider_id == provider_id):
        on = today if contract.signed_on is None else max(min(month_end, contract.ends_on), contract.signed_on)
        await _end(session, outbox, contract, on, SYSTEM, reason, paper, SYSTEM)


async def _running(session: AsyncSession, whose) -> list[Contract]:
    return list((await session.execute(select(Contract).where(whose, Contract.status.in_(RUNNING))
                                       .with_for_update())).scalars().all())


async def _end(session: AsyncSession, outbox: Outbox, contract: Contract, on: date, by: str, reason: str,
               paper: Paperwork, actor: str) -> None:
    """End a contract on `on`. Never signed: void, everything reserved goes back. Signed: it is
    charged up to `on`; what months up to then may still cost stays reserved until the final charge,
    and the notice of its termination is kept."""
    if contract.status in ENDED:
        return
    contract.end_reason = reason
    if CONTRACT_TRANSITIONS.can(contract.status, "void"):
        contract.status, contract.closed_out = CONTRACT_TRANSITIONS.next(contract.status, "void"), True
        if contract.reserved_kop > 0:
            await _release_all(session, outbox, contract, on, by)
        return
    terminated = CONTRACT_TRANSITIONS.next(contract.status, "terminate")
    if contract.closed_out:  # its final charge is out: it releases whatever is left
        contract.status, contract.terminated_on, contract.terminated_by = terminated, on, by
        await notice_termination(session, paper, contract, actor)
        return
    end_month = month_of(on)
    shares = dict((await session.execute(select(ContractMonth.month, ContractMonth.certificate_kop)
                                          .where(ContractMonth.contract_id == contract.id))).all())
    charges = (await session.execute(select(ChargeRow.month, ChargeRow.amount_kop, ChargeRow.release_kop,
                                            ChargeRow.confirmed_at).where(ChargeRow.contract_id == contract.id))).all()
    still = contract.reserved_kop - contract.released_kop - contract.charged_kop
    unposted = min(keep_on_termination(shares, [c.month for c in charges], end_month), still)
    in_flight = sum(c.amount_kop + c.release_kop for c in charges if c.confirmed_at is None)
    contract.status, contract.terminated_on, contract.terminated_by = terminated, on, by
    if contract.last_month is not None and end_month < contract.last_month:
        contract.last_month = end_month
    contract.released_kop += still - unposted
    if unposted == 0 and in_flight == 0:
        contract.closed_out = True  # nothing left to charge: no final charge will come
    await outbox.add(session, _terminated(contract, on, by, keep_kop=unposted + in_flight))
    await notice_termination(session, paper, contract, actor)
