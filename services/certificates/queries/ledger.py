"""Reading the ledger: one certificate's entries, and what a month moved (the certificates'
side of the month's reconciliation)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.certificates.models import LedgerEntry

L = LedgerEntry


@dataclass(frozen=True)
class ContractMoves:
    contract_id: uuid.UUID
    debited_kop: int
    released_kop: int


@dataclass(frozen=True)
class LedgerMonth:
    moved_kop: dict[str, int]  # entries made between `starts` and `ends`, by kind (kinds that moved nothing absent)
    contracts: list[ContractMoves]  # per contract: debits and final releases of the month's charges


async def entries_page(session: AsyncSession, certificate_id: uuid.UUID,
                       params: PageParams) -> tuple[list[LedgerEntry], int]:
    """(a page of the certificate's entries, oldest first, how many in all)."""
    rows, total = await paginate(session, select(L).where(L.certificate_id == certificate_id).order_by(L.id), params)
    return [entry for (entry,) in rows], total


async def month_moves(session: AsyncSession, month: str, starts: datetime, ends: datetime) -> LedgerMonth:
    """The month's movements: entries made in [starts, ends), and each contract's entries for the month's charges."""
    moved = dict((await session.execute(
        select(L.kind, func.sum(L.amount_kop)).where(L.at >= starts, L.at < ends).group_by(L.kind))).all())
    debit = func.coalesce(func.sum(L.amount_kop).filter(L.kind == "debit"), 0)
    release = func.coalesce(func.sum(L.amount_kop).filter(L.kind == "release"), 0)
    rows = (await session.execute(
        select(L.contract_id, debit, release).where(L.month == month).group_by(L.contract_id)
        .order_by(L.contract_id))).all()
    return LedgerMonth(moved_kop={kind: int(kop) for kind, kop in moved.items()},
                       contracts=[ContractMoves(r[0], int(r[1]), int(r[2])) for r in rows])
