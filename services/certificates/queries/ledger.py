"""Reading the ledger: one certificate's entries, and what a month moved (the certificates'
side of the month's reconciliation), for one municipality (its certificates) or the whole region,
each municipality apart."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.pagination import PageParams, paginate
from services.certificates.models import Certificate, LedgerEntry

L, C = LedgerEntry, Certificate


@dataclass(frozen=True)
class ContractMoves:
    contract_id: uuid.UUID
    municipality: str  # its certificate's: the payer
    debited_kop: int
    released_kop: int
    reversed_kop: int  # given back by disputes of the month's debits


@dataclass(frozen=True)
class MunicipalityMonth:
    municipality: str
    moved_kop: dict[str, int]  # entries made in the month by kind (what moved nothing is absent)
    debited_for_month_kop: int
    reversed_for_month_kop: int


@dataclass(frozen=True)
class LedgerMonth:
    moved_kop: dict[str, int]  # entries made between `starts` and `ends`, by kind (what moved nothing is absent)
    debited_for_month_kop: int  # debits of the month's charges, whenever posted
    reversed_for_month_kop: int  # reversals of those debits (disputes), whenever posted
    contracts: list[ContractMoves]  # per contract: debits and final releases of the month's charges
    by_municipality: list[MunicipalityMonth]  # the same per municipality; they add up to the totals


async def entries_page(session: AsyncSession, certificate_id: uuid.UUID,
                       params: PageParams) -> tuple[list[LedgerEntry], int]:
    """(a page of the certificate's entries, oldest first, how many in all)."""
    rows, total = await paginate(session, select(L).where(L.certificate_id == certificate_id).order_by(L.id), params)
    return [entry for (entry,) in rows], total


async def month_moves(session: AsyncSession, month: str, starts: datetime, ends: datetime,
                      municipality: str | None, configured: list[str]) -> LedgerMonth:
    """The month's movements of one municipality's certificates (None: the region's, each of the
    `configured` municipalities apart): entries made in [starts, ends), and each contract's
    entries for the month's charges."""
    scope = [] if municipality is None else [C.municipality == municipality]
    moved: dict[str, dict[str, int]] = {}
    for where, kind, kop in (await session.execute(
            select(C.municipality, L.kind, func.sum(L.amount_kop)).join(C, C.id == L.certificate_id)
            .where(L.at >= starts, L.at < ends, *scope).group_by(C.municipality, L.kind))).all():
        moved.setdefault(where, {})[kind] = int(kop)
    debit = func.coalesce(func.sum(L.amount_kop).filter(L.kind == "debit"), 0)
    release = func.coalesce(func.sum(L.amount_kop).filter(L.kind == "release"), 0)
    reversal = func.coalesce(func.sum(L.amount_kop).filter(L.kind == "reversal"), 0)
    contracts = [ContractMoves(r[0], r[1], int(r[2]), int(r[3]), int(r[4])) for r in (await session.execute(
        select(L.contract_id, C.municipality, debit, release, reversal).join(C, C.id == L.certificate_id)
        .where(L.month == month, *scope).group_by(L.contract_id, C.municipality).order_by(L.contract_id))).all()]
    debited: dict[str, int] = {}
    reversed_: dict[str, int] = {}
    for c in contracts:
        debited[c.municipality] = debited.get(c.municipality, 0) + c.debited_kop
        reversed_[c.municipality] = reversed_.get(c.municipality, 0) + c.reversed_kop
    # every municipality asked for, and any other one the data names (a certificate of a municipality
    # no longer configured), so the parts always add up to the whole
    codes = list(dict.fromkeys([municipality] if municipality else [*configured, *sorted({*moved, *debited})]))
    totals: dict[str, int] = {}
    for kinds in moved.values():
        for kind, kop in kinds.items():
            totals[kind] = totals.get(kind, 0) + kop
    return LedgerMonth(moved_kop=totals, debited_for_month_kop=sum(debited.values()),
                       reversed_for_month_kop=sum(reversed_.values()), contracts=contracts,
                       by_municipality=[MunicipalityMonth(code, moved.get(code, {}), debited.get(code, 0),
                                                          reversed_.get(code, 0)) for code in codes])
