"""An accepted application's money held in one statement: the rush's path (bench/certificates_ops).

The caller holds the certificate's row lock and has seen that the certificate is funded and has
the money. One statement then moves, all or nothing: the agreement's usage (its row locked by the
UPDATE, concurrent holds queue on it; its guard keeps the limit and refuses a cause posted
before), the certificate's `held` (its guard: what is available), the `reserve` entry and the
contract's reservation. Nothing moved (`None`): the agreement refused or the cause was posted
before; flows/reservations.py then takes the checked path, which says why.

Every writer of a certificate's reserve entries and free places holds the certificate's lock, so
the statement, started after the lock was taken, sees them all."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import BigInteger, Integer, Text, bindparam, func, literal, or_, select, true, update
from sqlalchemy.dialects.postgresql import UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.precompiled import Precompiled
from services.certificates.domain.agreements import AgreementKey
from services.certificates.flows.ledger import AVAILABLE
from services.certificates.models import Agreement, Certificate, FreeEnrollment, LedgerEntry, Reservation

A, C, L, R = Agreement, Certificate, LedgerEntry, Reservation


class HoldOutOfStep(RuntimeError):
    """The agreement took a hold the certificate refused, although its balance was read under its
    lock: a bug. Raised so the transaction rolls back."""


@dataclass(frozen=True)
class Held:
    used_kop: int             # the agreement's usage with this hold
    limit_kop: int | None
    available_kop: int        # the certificate's, after it
    free_used: dict[str, int]  # the certificate's free places taken in the period, by register


def application_cause(application_id: uuid.UUID) -> str:
    """The cause of an accepted application's reserve entry: one hold per application."""
    return f"application:{application_id}"


def free_places_used(certificate_id, period_year):
    """The free places a certificate took in a period: a select of {register: count} (NULL: none)."""
    counts = (select(FreeEnrollment.program_register, func.count().label("n"))
              .where(FreeEnrollment.certificate_id == certificate_id, FreeEnrollment.period_year == period_year)
              .group_by(FreeEnrollment.program_register).subquery())
    return select(func.jsonb_object_agg(counts.c.program_register, counts.c.n))


def _statement():
    # Parameters named apart from every column: an UPDATE would take a same-named one as a SET value.
    cert, amount = bindparam("h_certificate", type_=UUID(as_uuid=True)), bindparam("h_amount", type_=BigInteger)
    contract, cause = bindparam("h_contract", type_=UUID(as_uuid=True)), bindparam("h_cause", type_=Text)
    provider, payer = bindparam("h_provider", type_=UUID(as_uuid=True)), bindparam("h_payer", type_=Text)
    year = bindparam("h_year", type_=Integer)
    posted_before = select(L.id).where(L.certificate_id == cert, L.kind == "reserve", L.cause == cause).exists()
    used = (update(A).where(A.provider_id == provider, A.municipality == payer, A.year == year, A.active,
                            or_(A.limit_kop.is_(None), A.used_kop + amount <= A.limit_kop), ~posted_before)
            .values(used_kop=A.used_kop + amount).returning(A.used_kop, A.limit_kop).cte("used"))
    moved = (update(C).where(C.id == cert, AVAILABLE >= amount, select(used.c.used_kop).exists())
             .values(held_kop=C.held_kop + amount).returning(C.id, AVAILABLE.label("available_kop")).cte("moved"))
    entry = insert(L).from_select(
        ["certificate_id", "kind", "amount_kop", "cause", "contract_id"],
        select(moved.c.id, literal("reserve"), amount, cause, contract)).cte("entry")
    reservation = insert(R).from_select(
        ["contract_id", "certificate_id", "held_kop", "debited_kop", "period_year", "provider_id", "payer"],
        select(contract, moved.c.id, amount, literal(0), year, provider, payer),
    ).on_conflict_do_update(index_elements=[R.contract_id], set_={"held_kop": R.held_kop + amount}).cte("reservation")
    return (select(used.c.used_kop, used.c.limit_kop, moved.c.available_kop,
                   free_places_used(cert, year).scalar_subquery().label("free_used"))
            .select_from(used).outerjoin(moved, true()).add_cte(entry, reservation))


HOLD = Precompiled(_statement())


async def hold(session: AsyncSession, certificate_id: uuid.UUID, key: AgreementKey, amount_kop: int,
               contract_id: uuid.UUID) -> Held | None:
    """Hold `amount_kop` (> 0) for the contract under the agreement of `key`, or None: nothing moved."""
    row = await HOLD.first(session, h_certificate=certificate_id, h_amount=amount_kop, h_contract=contract_id,
                           h_cause=application_cause(contract_id), h_provider=key.provider_id, h_payer=key.payer,
                           h_year=key.year)
    if row is None:
        return None
    if row.available_kop is None:
        raise HoldOutOfStep(f"agreement {key} took {amount_kop} kop that certificate {certificate_id} refused")
    return Held(row.used_kop, row.limit_kop, row.available_kop, row.free_used or {})
