"""The certificates' side of the month's reconciliation: what the ledger moved."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy import func, select

from pfdo_events.catalog import Month
from pfdo_kit.auth import Principal, current_principal, require_role
from pfdo_kit.errors import API_ERRORS
from services.certificates.models import LedgerEntry

router = APIRouter(prefix="/api/v1", tags=["reports"], responses=API_ERRORS)
L = LedgerEntry


class ContractDebit(BaseModel):
    contract_id: uuid.UUID
    debited_kop: int
    released_kop: int


class LedgerMonthOut(BaseModel):
    month: str
    moved_kop: dict[str, int]  # entries made in the month (district time), by kind
    debited_for_month_kop: int  # debits of the month's charges, whenever they were posted
    contracts: list[ContractDebit]  # per contract: debits and final releases of the month's charges


@router.get("/reports/ledger", response_model=LedgerMonthOut)
async def ledger_month(month: Annotated[Month, Query()], request: Request,
                       principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "operator", "admin")
    rt, tz = request.app.state.runtime, request.app.state.settings.timezone
    local_month = func.to_char(func.timezone(tz, L.at), "YYYY-MM")
    async with rt.sessions() as session:
        moved = dict((await session.execute(
            select(L.kind, func.sum(L.amount_kop)).where(local_month == month).group_by(L.kind))).all())
        debit = func.coalesce(func.sum(L.amount_kop).filter(L.kind == "debit"), 0)
        release = func.coalesce(func.sum(L.amount_kop).filter(L.kind == "release"), 0)
        rows = (await session.execute(
            select(L.contract_id, debit, release).where(L.month == month).group_by(L.contract_id)
            .order_by(L.contract_id))).all()
    return LedgerMonthOut(
        month=month, moved_kop={k: int(moved.get(k, 0)) for k in ("credit", "expire", "reserve", "release", "debit",
                                                                  "reversal")},
        debited_for_month_kop=sum(int(r[1]) for r in rows),
        contracts=[ContractDebit(contract_id=r[0], debited_kop=int(r[1]), released_kop=int(r[2])) for r in rows])
