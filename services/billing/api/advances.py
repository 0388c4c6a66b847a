"""Advances: from the month's 2nd working day a provider takes up to the region's percentage of
the month's planned certificate payments of the payers it has an agreement with, once; each
payer's invoice for the month subtracts that payer's part."""
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
from services.billing.api.schemas import AdvanceIn, AdvanceOut, AdvancePage, AdvancePartOut
from services.billing.domain.access import MONEY_READERS, money_scope
from services.billing.flows import advances
from services.billing.models import Advance, AdvancePart, idempotency_keys
from services.billing.queries.advances import advances_within, parts_of

router = APIRouter(prefix="/api/v1", tags=["advances"], responses=API_ERRORS)


def _out(advance: Advance, parts: list[AdvancePart], payer: str | None = None) -> AdvanceOut:
    """The advance as the caller sees it: a municipal operator (`payer`) sees its own part as the advance."""
    out = AdvanceOut(id=advance.id, provider_id=advance.provider_id, month=advance.month,
                     amount_kop=advance.amount_kop, limit_kop=advance.limit_kop, requested_at=advance.requested_at,
                     parts=[AdvancePartOut.model_validate(p) for p in parts])
    if payer is None:
        return out
    return out.model_copy(update={"amount_kop": sum(p.amount_kop for p in parts),
                                  "limit_kop": sum(p.limit_kop for p in parts)})


@router.post("/advances", status_code=status.HTTP_201_CREATED, response_model=AdvanceOut, summary="Запросить аванс",
             description=(
                 "Только организатор, для себя. Аванс за месяц запрашивается в этом же месяце, начиная со 2-го "
                 "рабочего дня по производственному календарю с днями отдыха региона (409 advance-closed), "
                 "один раз за месяц (409 advance-taken), только действующим организатором (409 "
                 "no-payment-agreement). Лимит — сумма лимитов плательщиков: процент региона (по умолчанию 80 %) "
                 "от долей сертификатов за месяц по подписанным договорам организатора, действующим в этом "
                 "месяце, — только с теми муниципалитетами-плательщиками, с которыми у организатора есть "
                 "действующее соглашение на год договора; доли есть, но ни одну не покрывает соглашение — 409 "
                 "no-payment-agreement; долей нет — 409 nothing-to-advance. Без `amount_kop` выдаётся весь "
                 "лимит; больше лимита — 422 на `amount_kop`. Аванс делится на части плательщиков "
                 "пропорционально их лимитам (до копейки, `parts`); каждый плательщик вычитает свою часть из "
                 "счёта организатора за этот месяц при закрытии своего месяца. С заголовком Idempotency-Key "
                 "повтор получает первый ответ."))
async def request_advance(body: AdvanceIn, request: Request, rt: Runtime, settings: Settings, clock: CurrentClock,
                          principal: CurrentPrincipal, idempotency_key: IdempotencyKey = None):
    require_role(principal, "provider")
    async with rt.sessions() as session, session.begin():
        async def answer() -> AdvanceOut:
            advance = await advances.take(
                session, rt.outbox, principal.provider_id, body.month, body.amount_kop, principal.actor,
                percent=settings.advance_percent, today=clock.today(), calendar=rt.calendar)
            return _out(advance, await parts_of(session, advance.id))
        return await idem.answer_once(session, idempotency_keys, request, principal.subject, 201, answer)


@router.get("/advances", response_model=AdvancePage, summary="Список авансов", description=(
    "Организатор видит свои авансы, региональный оператор и администратор — все, с частями по плательщикам; "
    "оператор муниципалитета — авансы, часть которых платит его муниципалитет, и только эту часть (в "
    "`amount_kop`, `limit_kop` и `parts`); семье — 403. По месяцу и организатору; фильтр по месяцу."))
async def list_advances(rt: Runtime, principal: CurrentPrincipal, params: PageQuery,
                        month: Annotated[Month | None, Query(description="месяц, ГГГГ-ММ")] = None):
    require_role(principal, *MONEY_READERS)
    async with rt.reads() as session:
        scope = money_scope(principal)
        rows, total = await advances_within(session, scope, params, month)
        return params.of(AdvancePage, [_out(a, parts, scope.get("payer")) for a, parts in rows], total)
