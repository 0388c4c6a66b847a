"""The family's view of every debit from the certificate: which contract, which month, how
many lessons the child attended of those planned."""
from __future__ import annotations

import uuid

from fastapi import APIRouter

from pfdo_kit.auth import forbidden
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.billing.api.schemas import DebitOut, DebitPage
from services.billing.domain.access import contract_scope
from services.billing.queries.debits import debits_within

router = APIRouter(prefix="/api/v1", tags=["debits"], responses=API_ERRORS)


@router.get("/debits", response_model=DebitPage, summary="Списания с сертификата", description=(
    "Каждое списание с сертификата с объяснением: договор, программа, организатор, месяц, занятия по плану и "
    "посещённые; новые месяцы сверху. Списание бывает только по договору, который семья подписала, и только "
    "за закрытый месяц с посещениями. Семья видит списания по своим договорам, организатор — по своим, "
    "оператор муниципалитета — по договорам, за которые платит его муниципалитет, администратор — все; "
    "региональному оператору — 403. Фильтры: ребёнок, договор."))
async def list_debits(rt: Runtime, principal: CurrentPrincipal, params: PageQuery,
                      child_id: uuid.UUID | None = None, contract_id: uuid.UUID | None = None):
    scope = contract_scope(principal)
    if scope is None:
        raise forbidden()
    async with rt.sessions() as session:
        rows, total = await debits_within(session, scope, params, child_id=child_id,
                                          contract_id=contract_id)
    debits = [DebitOut(charge_id=ch.id, month=ch.month, amount_kop=ch.debited_kop, planned_lessons=ch.planned_lessons,
                       attended_lessons=ch.attended_lessons, contract_id=c.id, contract_number=c.number,
                       child_id=c.child_id, certificate_id=c.certificate_id, program_title=c.program_title,
                       provider_name=c.provider_name, contract_signed_on=c.signed_on, debited_at=ch.confirmed_at)
              for ch, c in rows]
    return params.of(DebitPage, debits, total)
