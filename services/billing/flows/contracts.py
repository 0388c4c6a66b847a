"""A contract's life on the billing side: drafted from an acceptance, offered once the money
is reserved (void if it is refused), signed by the family, ended by the family, the provider,
the operator or the system (a withdrawn application, a closed certificate, a suspended or
excluded provider) — and the events each step sends. Signing keeps the offer the family signed
and ending a signed contract keeps its notice (flows/documents.py), in the same transaction.

What runs for every application of an enrollment rush — the draft, the reservation's answer, the
signature — is Core statements built once, no ORM unit of work: the draft inserts the contract with
its months and reads an answer that came first in one statement, an answer is one conditional
UPDATE (keeping the answer and queueing the offer in the same statement), the signature one UPDATE
after the read that locked the contract. The endings, rare, work on ORM objects."""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, fields
from datetime import date
from types import SimpleNamespace

from sqlalchemy import BigInteger, Integer, Select, Text, Update, bindparam, func, select, true, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events.billing import ContractOffered, ContractSigned, ContractTerminated
from pfdo_events.catalog import ApplicationAccepted
from pfdo_kit.calendar import last_day, month_of
from pfdo_kit.errors import conflict, invalid
from pfdo_kit.outbox import Outbox
from pfdo_kit.precompiled import Precompiled, bound, named
from services.billing.domain.contracts import contract_number, keep_on_termination, termination_date_problem
from services.billing.domain.statuses import CONTRACT_TRANSITIONS, DRAFT, ENDED, OFFERED, RUNNING, SIGNED, VOID
from services.billing.flows.documents import Paperwork, notice_termination, sign_offer
from services.billing.flows.offer_queue import queued
from services.billing.models import CONTRACT_SERIAL, ChargeRow, Contract, ContractMonth, ReservationOutcome
from services.billing.queries.offer_inputs import OfferInputs

SYSTEM = "system"


class AcceptanceNotYetSeen(Exception):
    """A withdrawal overtook the acceptance it withdraws: retried until the acceptance lands."""


contracts, contract_months, outcomes = (m.__table__ for m in (Contract, ContractMonth, ReservationOutcome))
C = contracts.c

# The statements a rush runs for every application are built once, with bound parameters: building
# one per call (its CTEs' columns, its cache key) cost about as much CPU as the round trip.
_LOCK = func.pg_advisory_xact_lock(func.hashtext(bindparam("lock_key", type_=Text)))
_LOCKED = Precompiled(select(_LOCK))
_LOCKED_WITH_SERIAL = Precompiled(select(_LOCK, CONTRACT_SERIAL.next_value()))


def _lock_key(application_id: uuid.UUID) -> dict[str, str]:
    return {"lock_key": f"billing-application:{application_id}"}


async def lock_application(session: AsyncSession, application_id: uuid.UUID) -> None:
    """Events about one application (accepted, reserved or refused, cancelled) come from two
    services and may be handled at the same moment; each handler takes this lock first, so the
    later one sees what the earlier one committed (otherwise an acceptance and its reservation,
    handled together, would each miss the other and leave the contract a draft forever). What a
    handler reads after it must be read by a later statement: a statement sees what was committed
    before it began, not what committed while it waited."""
    await _LOCKED.run(session, **_lock_key(application_id))


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


@dataclass(frozen=True)
class Outcome:
    """What certificates answered for an application (`reservation_outcomes`)."""
    reserved: bool
    amount_kop: int
    reason: str | None
    certificate_number: str | None = None
    child_full_name: str | None = None
    child_birth_date: date | None = None


_OUTCOME_COLUMNS = [f.name for f in fields(Outcome)]
_DRAFTED = ["id", "number", "status", "owner", "municipality", "payer", "period_year", "child_id", "certificate_id",
            "provider_id", "provider_name", "program_id", "program_title", "group_id", "program_register", "starts_on",
            "ends_on", "weekly_schedule", "group_name", "venue", "first_month", "last_month"]
_MONTH_COLUMNS = {"month": Text, "certificate_kop": BigInteger, "copay_kop": BigInteger, "planned_lessons": Integer}


def _param(table, name: str):
    """The value for a column, bound as `new_<column>` (a column's own name is SQLAlchemy's, in an
    INSERT or UPDATE)."""
    return bound(table, [name], prefix="new_")[name]


def _draft() -> Select:
    """The contract and its months inserted (nothing if it was drafted before) and the answer
    certificates gave before it, if any: one statement. Its row: the new contract's id and the
    answer's columns (null: none came yet); no row: drafted before."""
    drafted = (insert(contracts).values({name: _param(contracts, name) for name in _DRAFTED})
               .on_conflict_do_nothing().returning(C.id).cte("drafted"))
    shares = func.unnest(*(bindparam(f"new_months_{name}", type_=ARRAY(kind)) for name, kind in _MONTH_COLUMNS.items())
                         ).table_valued(*_MONTH_COLUMNS).render_derived("shares")
    scheduled = insert(contract_months).from_select(
        ["contract_id", *_MONTH_COLUMNS], select(drafted.c.id, *shares.c).select_from(drafted.join(shares, true()))
    ).cte("scheduled")
    return (select(drafted.c.id, *(outcomes.c[name] for name in _OUTCOME_COLUMNS), outcomes.c.application_id)
            .select_from(drafted.outerjoin(outcomes, outcomes.c.application_id == drafted.c.id))
            .add_cte(scheduled))


def _outcome_applied(reserved: bool, keeping: bool) -> Select | Update:
    """The draft offered (with its offer queued for rendering; the offered contract's row back) or
    void, by one conditional UPDATE; `keeping`: the answer kept in the same statement."""
    draft_only = (C.id == _param(outcomes, "application_id"), C.status == DRAFT)
    kept = (insert(outcomes).values({name: _param(outcomes, name) for name in ["application_id", *_OUTCOME_COLUMNS]})
            .on_conflict_do_nothing().cte("kept"))
    if not reserved:
        voided = update(contracts).where(*draft_only).values(
            status=CONTRACT_TRANSITIONS.next(DRAFT, "void"), closed_out=True, end_reason=_param(outcomes, "reason"))
        return voided.add_cte(kept) if keeping else voided
    offered = update(contracts).where(*draft_only).values(
        status=CONTRACT_TRANSITIONS.next(DRAFT, "offer"), reserved_kop=_param(outcomes, "amount_kop"),
        **{name: _param(outcomes, name) for name in ("certificate_number", "child_full_name", "child_birth_date")},
    ).returning(C.id, C.number, C.certificate_id, C.owner, C.program_title, C.provider_name).cte("offered")
    return select(*offered.c).add_cte(queued(select(offered.c.id)).cte("queued_offer"), *([kept] if keeping else []))


def _released() -> Update:
    """Withdrawn before the money was reserved: the reservation made since goes back."""
    amount = _param(outcomes, "amount_kop")
    return (update(contracts).where(C.id == _param(outcomes, "application_id"), C.status == VOID,
                                    C.reserved_kop == 0)
            .values(reserved_kop=amount, released_kop=amount - C.charged_kop)
            .returning(C.id, C.certificate_id, C.owner, C.number, C.program_title, C.end_reason, C.signed_on))


_RELEASED = Precompiled(_released())
_DRAFT = Precompiled(_draft())
_APPLIED = {(reserved, keeping): Precompiled(_outcome_applied(reserved, keeping)) for reserved in (True, False)
            for keeping in (True, False)}


async def draft(session: AsyncSession, outbox: Outbox, e: ApplicationAccepted, today: date) -> None:
    """Draft the contract from the acceptance; an answer from certificates that came first applies now."""
    serial = (await _LOCKED_WITH_SERIAL.first(session, **_lock_key(e.application_id)))[1]
    payer = await payer_of(session, e)
    months = sorted(e.months, key=lambda m: m.month)
    created = await _DRAFT.first(session, **named({
        "id": e.application_id, "number": contract_number(serial, e.period_year), "status": DRAFT, "owner": e.owner,
        "municipality": e.municipality, "payer": payer, "period_year": e.period_year, "child_id": e.child_id,
        "certificate_id": e.certificate_id, "provider_id": e.provider_id, "provider_name": e.provider_name,
        "program_id": e.program_id, "program_title": e.program_title, "group_id": e.group_id,
        "program_register": e.program_register, "starts_on": e.starts_on, "ends_on": e.ends_on,
        "weekly_schedule": [lesson.model_dump() for lesson in e.weekly_schedule], "group_name": e.group_name,
        "venue": e.venue, "first_month": months[0].month if months else None,
        "last_month": months[-1].month if months else None,
        **{f"months_{name}": [getattr(m, name) for m in months] for name in _MONTH_COLUMNS}}, "new_"))
    if created is not None and created.application_id is not None:
        outcome = Outcome(**{name: getattr(created, name) for name in _OUTCOME_COLUMNS})
        await _apply_outcome(session, outbox, e.application_id, outcome, today, keeping=False)


async def record_reservation(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, *, reserved: bool,
                             amount_kop: int, reason: str | None, today: date,
                             parties: dict | None = None) -> None:
    """Certificates reserved the money (the draft becomes an offer) or refused (the draft is
    void). The answer is kept: it may come before the acceptance that drafts the contract.
    `parties`: the certificate's number and the child's name and birth date, which the offer names."""
    await lock_application(session, application_id)
    await _apply_outcome(session, outbox, application_id, Outcome(reserved, amount_kop, reason, **(parties or {})),
                         today, keeping=True)


async def _apply_outcome(session: AsyncSession, outbox: Outbox, application_id: uuid.UUID, outcome: Outcome,
                         today: date, *, keeping: bool) -> None:
    """The draft offered or void (`keeping`: the answer kept by the same statement). A contract no
    longer a draft is left as it is, except one withdrawn before the money was reserved: the
    reservation made since must go back."""
    params = named({"application_id": application_id, **asdict(outcome)}, "new_")
    applying = _APPLIED[outcome.reserved, keeping]
    if not outcome.reserved:
        await applying.run(session, **params)
        return
    contract = await applying.first(session, **params)
    if contract is not None:
        await outbox.add(session, ContractOffered(contract_id=contract.id, number=contract.number,
                                                  certificate_id=contract.certificate_id, owner=contract.owner,
                                                  reserved_kop=outcome.amount_kop, program_title=contract.program_title,
                                                  provider_name=contract.provider_name))
    elif outcome.amount_kop > 0:
        released = await _RELEASED.first(session, **params)
        if released is not None:
            await outbox.add(session, _terminated(released, today, SYSTEM, keep_kop=0))


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


_SIGNED = Precompiled(update(contracts).where(C.id == _param(contracts, "id"))
                      .values(status=CONTRACT_TRANSITIONS.next(OFFERED, "sign"), signed_on=_param(contracts, "signed_on"),
                              signed_by=_param(contracts, "signed_by"))
                      .returning(*contracts.c))


async def sign(session: AsyncSession, outbox: Outbox, offer: OfferInputs, by: str, today: date, paper: Paperwork,
               read_sha256: str | None = None, *, render_here: bool = False) -> SimpleNamespace:
    """The family signs the offer (`offer`: read with the contract locked), which is kept as it reads
    now (if `read_sha256`, the hash of the offer it read, differs, nothing is signed); signing twice
    changes nothing. OfferNotReady (nothing written): its offer is not rendered for what it reads
    now and not `render_here`. Returns the contract as it is now."""
    contract = offer.contract
    if contract.status == SIGNED:
        return contract
    if not CONTRACT_TRANSITIONS.can(contract.status, "sign"):
        raise conflict("not-offered", "Договор нельзя подписать: средства ещё не зарезервированы или договор прекращён",
                       field="status", detail=f"contract is {contract.status}")
    if today > contract.ends_on:
        raise conflict("offer-expired", "Срок обучения по договору уже закончился", field="status")
    await sign_offer(session, paper, offer, by, read_sha256, render_here=render_here)
    signed = await _SIGNED.first(session, **named({"id": contract.id, "signed_on": today, "signed_by": by}, "new_"))
    await outbox.add(session, ContractSigned(contract_id=contract.id, certificate_id=contract.certificate_id,
                                             signed_on=today, owner=contract.owner, number=contract.number,
                                             program_title=contract.program_title))
    return SimpleNamespace(**signed._asdict())


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
