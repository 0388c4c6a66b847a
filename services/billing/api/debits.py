"""The family's view of every debit from the certificate: which contract, which month, how
many lessons the child attended of those planned, by which rule, and its dispute."""
from __future__ import annotations

import uuid

from fastapi import APIRouter

from pfdo_kit.auth import forbidden
from pfdo_kit.clock import Clock
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.billing.api.dependencies import Settings
from services.billing.api.schemas import DebitOut, DebitPage
from services.billing.domain.access import contract_scope
from services.billing.domain.charges import explain
from services.billing.domain.disputes import last_day_to_dispute
from services.billing.models import ChargeRow, Contract, Dispute
from services.billing.queries.debits import debits_within

router = APIRouter(prefix="/api/v1", tags=["debits"], responses=API_ERRORS)


def _debit(ch: ChargeRow, c: Contract, rule: str, dispute: Dispute | None, window_days: int, clock: Clock) -> DebitOut:
    return DebitOut(
        charge_id=ch.id, month=ch.month, amount_kop=ch.debited_kop, planned_lessons=ch.planned_lessons,
        attended_lessons=ch.attended_lessons, contract_id=c.id, contract_number=c.number, child_id=c.child_id,
        certificate_id=c.certificate_id, program_title=c.program_title, provider_name=c.provider_name,
        contract_signed_on=c.signed_on, debited_at=ch.confirmed_at, share_kop=ch.share_kop, rule=rule,
        explanation=explain(rule, ch.share_kop, ch.planned_lessons, ch.attended_lessons, ch.debited_kop),
        reversed_kop=dispute.reversed_kop if dispute else 0,
        dispute_until=last_day_to_dispute(clock.local(ch.confirmed_at).date(), window_days),
        dispute_id=dispute.id if dispute else None, dispute_status=dispute.status if dispute else None)


@router.get("/debits", response_model=DebitPage, summary="Списания с сертификата", description=(
    "Каждое списание с сертификата с объяснением: договор, программа, организатор, месяц, занятия по плану и "
    "посещённые, доля месяца, правило региона и расчёт словами (`explanation`), сколько вернулось по спору и до "
    "какого дня списание можно оспорить (POST /api/v1/disputes); новые месяцы сверху. Списание бывает только по договору, который семья подписала, и только "
    "за закрытый месяц с посещениями. Семья видит списания по своим договорам, организатор — по своим, "
    "оператор муниципалитета — по договорам, за которые платит его муниципалитет, администратор — все; "
    "региональному оператору — 403. Фильтры: ребёнок, договор."))
async def list_debits(rt: Runtime, settings: Settings, clock: CurrentClock, principal: CurrentPrincipal,
                      params: PageQuery,
                      child_id: uuid.UUID | None = None, contract_id: uuid.UUID | None = None):
    scope = contract_scope(principal)
    if scope is None:
        raise forbidden()
    async with rt.reads() as session:
        rows, total = await debits_within(session, scope, params, child_id=child_id,
                                          contract_id=contract_id)
    debits = [_debit(charge, contract, rule, dispute, settings.dispute_window_days, clock)
              for charge, contract, rule, dispute in rows]
    return params.of(DebitPage, debits, total)
