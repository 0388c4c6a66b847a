"""Posting ledger entries in PostgreSQL: the entry and the balance change in the caller's
transaction, the balance guarded by a conditional UPDATE (and CHECK constraints behind it),
following the rules of domain/ledger.py.

`post_entry` runs in a SAVEPOINT, so a refusal leaves the caller's transaction usable (to
record a `reservation_failed` event, for example).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.certificates.domain.ledger import CONTRACT_KINDS, LedgerRefused, available
from services.certificates.models import Certificate, LedgerEntry, Reservation

C, R = Certificate, Reservation
AVAILABLE = available(C.credited_kop, C.expired_kop, C.held_kop, C.debited_kop, C.reversed_kop)


@dataclass(frozen=True)
class ContractTerms:
    """What a reservation records of its contract: the year of its money and, for certificate
    money, the provider and payer whose agreement it counts against."""

    period_year: int
    provider_id: uuid.UUID | None = None
    payer: str | None = None


@dataclass(frozen=True)
class Posted:
    kind: str
    amount_kop: int
    duplicate: bool  # the same cause was posted before: nothing moved this time


def _certificate_change(kind: str, a: int) -> tuple[dict, ColumnElement[bool] | None]:
    """(SET values, extra WHERE) for the certificate row."""
    return {
        "credit": ({"credited_kop": C.credited_kop + a}, None),
        "expire": ({"expired_kop": C.expired_kop + a}, AVAILABLE >= a),
        "reserve": ({"held_kop": C.held_kop + a}, AVAILABLE >= a),
        "release": ({"held_kop": C.held_kop - a}, C.held_kop >= a),
        "debit": ({"held_kop": C.held_kop - a, "debited_kop": C.debited_kop + a}, C.held_kop >= a),
        "reversal": ({"reversed_kop": C.reversed_kop + a}, C.debited_kop - C.reversed_kop >= a),
    }[kind]


async def post_entry(session: AsyncSession, certificate_id: uuid.UUID, kind: str, amount_kop: int, cause: str,
                     contract_id: uuid.UUID | None = None, month: str | None = None,
                     terms: ContractTerms | None = None) -> Posted:
    """Move money once per (certificate, kind, cause), or LedgerRefused (nothing moved). A
    reserve's `terms` are recorded on the contract's reservation."""
    if amount_kop <= 0:
        raise ValueError("amount must be positive kopecks")
    if kind in CONTRACT_KINDS and contract_id is None:
        raise ValueError(f"{kind} needs the contract it is for")
    async with session.begin_nested():
        entry = await session.execute(
            insert(LedgerEntry)
            .values(certificate_id=certificate_id, kind=kind, amount_kop=amount_kop, cause=cause,
                    contract_id=contract_id, month=month)
            .on_conflict_do_nothing(constraint="ledger_one_entry_per_cause")
            .returning(LedgerEntry.id)
        )
        if entry.first() is None:
            return Posted(kind, amount_kop, duplicate=True)

        values, guard = _certificate_change(kind, amount_kop)
        where = C.id == certificate_id if guard is None else and_(C.id == certificate_id, guard)
        moved = await session.execute(update(C).where(where).values(**values).returning(C.id))
        if moved.first() is None:
            raise LedgerRefused(f"{kind} of {amount_kop} kop refused for certificate {certificate_id}")
        await _track_contract(session, certificate_id, kind, amount_kop, contract_id, terms)
    return Posted(kind, amount_kop, duplicate=False)


async def available_of(session: AsyncSession, certificate_id: uuid.UUID) -> int:
    return int(await session.scalar(select(AVAILABLE).where(C.id == certificate_id)))


async def _track_contract(session: AsyncSession, certificate_id: uuid.UUID, kind: str, a: int,
                          contract_id: uuid.UUID | None, terms: ContractTerms | None) -> None:
    if kind == "reserve":
        recorded = {} if terms is None else {"period_year": terms.period_year, "provider_id": terms.provider_id,
                                             "payer": terms.payer}
        await session.execute(
            insert(R).values(contract_id=contract_id, certificate_id=certificate_id, held_kop=a, debited_kop=0,
                             **recorded)
            .on_conflict_do_update(index_elements=[R.contract_id], set_={"held_kop": R.held_kop + a})
        )
    elif kind in ("release", "debit"):
        values = {"held_kop": R.held_kop - a}
        if kind == "debit":
            values["debited_kop"] = R.debited_kop + a
        moved = await session.execute(
            update(R).where(R.contract_id == contract_id, R.certificate_id == certificate_id, R.held_kop >= a)
            .values(**values).returning(R.contract_id)
        )
        if moved.first() is None:
            raise LedgerRefused(f"{kind} of {a} kop exceeds what contract {contract_id} holds")
