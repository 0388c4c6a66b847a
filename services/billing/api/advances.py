"""Advances: from the month's 2nd working day a provider takes up to the district's share of
the month's planned certificate payments, once; the month's invoice subtracts it."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from pfdo_events.catalog import Month
from pfdo_kit import idempotency as idem
from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.idempotency import IdempotencyKey
from pfdo_kit.pagination import PageQuery
from services.billing.api.dependencies import Settings
from services.billing.api.schemas import AdvanceIn, AdvanceOut, AdvancePage
from services.billing.domain.access import MONEY_READERS, money_scope
from services.billing.flows import advances
from services.billing.models import idempotency_keys
from services.billing.queries.advances import advances_within

router = APIRouter(prefix="/api/v1", tags=["advances"], responses=API_ERRORS)


@router.post("/advances", status_code=status.HTTP_201_CREATED, response_model=AdvanceOut, summary="Запросить аванс",
             description=(
                 "Только организатор, для себя. Аванс за месяц запрашивается в этом же месяце, начиная со 2-го "
                 "рабочего дня по производственному календарю с днями отдыха региона (409 advance-closed), "
                 "один раз за месяц (409 advance-taken), только действующим организатором с договором об "
                 "оплате (409 no-payment-agreement). Лимит — процент района (по умолчанию 80 %) от долей "
                 "сертификатов за месяц по подписанным договорам организатора, действующим в этом месяце; "
                 "нет таких долей — 409 nothing-to-advance. Без `amount_kop` выдаётся весь лимит; больше "
                 "лимита — 422 на `amount_kop`. Аванс вычитается из счёта за этот месяц при его закрытии. "
                 "С заголовком Idempotency-Key повтор получает первый ответ."))
async def request_advance(body: AdvanceIn, request: Request, rt: Runtime, settings: Settings, clock: CurrentClock,
                          principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    require_role(principal, "provider")
    async with rt.sessions() as session, session.begin():
        async def answer() -> AdvanceOut:
            return AdvanceOut.model_validate(await advances.take(
                session, rt.outbox, principal.provider_id, body.month, body.amount_kop, principal.actor,
                percent=settings.advance_percent, today=clock.today(), calendar=rt.calendar))
        return await idem.answer_once(session, idempotency_keys, request, principal.subject, 201, answer)


@router.get("/advances", response_model=AdvancePage, summary="Список авансов", description=(
    "Организатор видит свои авансы, оператор — организаторов своего муниципалитета, администратор — все; "
    "семье — 403. По месяцу и организатору; фильтр по месяцу."))
async def list_advances(rt: Runtime, principal: CurrentPrincipal, params: PageQuery,
                        month: Annotated[Month | None, Query(description="месяц, ГГГГ-ММ")] = None):
    require_role(principal, *MONEY_READERS)
    async with rt.sessions() as session:
        rows, total = await advances_within(session, money_scope(principal), params, month)
        return params.of(AdvancePage, [AdvanceOut.model_validate(a) for a in rows], total)
