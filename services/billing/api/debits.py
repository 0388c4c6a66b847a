"""The family's view of every debit from the certificate: which contract, which month, how
many lessons the child attended of those planned."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import select

from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.billing.api.schemas import DebitOut
from services.billing.domain.access import contract_scope, within
from services.billing.models import ChargeRow, Contract

router = APIRouter(prefix="/api/v1", tags=["debits"], responses=API_ERRORS)


@router.get("/debits", response_model=list[DebitOut], summary="Списания с сертификата")
async def list_debits(rt: Runtime, principal: CurrentPrincipal,
                      child_id: uuid.UUID | None = None, contract_id: uuid.UUID | None = None,
                      limit: Annotated[int, Query(ge=1, le=500)] = 100):
    query = (select(ChargeRow, Contract).join(Contract, Contract.id == ChargeRow.contract_id)
             .where(*within(Contract, contract_scope(principal)), ChargeRow.debited_kop > 0))
    if child_id is not None:
        query = query.where(Contract.child_id == child_id)
    if contract_id is not None:
        query = query.where(Contract.id == contract_id)
    async with rt.sessions() as session:
        rows = (await session.execute(query.order_by(ChargeRow.month.desc(), Contract.number).limit(limit))).all()
    return [DebitOut(charge_id=ch.id, month=ch.month, amount_kop=ch.debited_kop, planned_lessons=ch.planned_lessons,
                     attended_lessons=ch.attended_lessons, contract_id=c.id, contract_number=c.number,
                     child_id=c.child_id, certificate_id=c.certificate_id, program_title=c.program_title,
                     provider_name=c.provider_name, contract_signed_on=c.signed_on, debited_at=ch.confirmed_at)
            for ch, c in rows]
