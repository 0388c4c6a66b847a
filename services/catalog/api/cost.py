"""GET /groups/{id}/cost?child_id=: how this group would be paid for this child."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.catalog.api.dependencies import Settings
from services.catalog.api.schemas import CostOut, MonthCost
from services.catalog.queries import cost

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=API_ERRORS)


@router.get(
    "/groups/{group_id}/cost", response_model=CostOut, summary="Как будет оплачено обучение",
    description="Только родитель, для своего ребёнка (`child_id`), до подачи заявки: как будет оплачена эта группа. "
                "`payment`: `certificate` — сертификатом (он платит не больше нормативной стоимости, остальное — "
                "доплата семьи), `free` — бесплатно по бюджетному реестру (`free_left` — сколько таких программ "
                "ребёнку ещё можно в этом году), `family` — платит семья, `impossible` — нельзя, все причины в "
                "`reasons` и по-русски в `reasons_ru`. Сертификатом платит муниципалитет сертификата, и только "
                "поставщику с действующим соглашением с ним на год средств договора, в пределах лимита "
                "соглашения: иначе `no_agreement` или `agreement_limit_reached`. `monthly` — помесячно доля сертификата и доплата семьи в "
                "копейках с начала будущего договора (месяц, начатый не с первого дня, — пропорционально его "
                "занятиям), `total_kop` — всего. Причины `no_seats` (заявка встанет в очередь) и "
                "`certificate_awaiting_activation` (оплату подтвердит сервис сертификатов) — замечания, а не "
                "отказ. Не родителю — 403; чужой ребёнок, нет группы или программа не опубликована — 404.")
async def get_group_cost(group_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, settings: Settings,
                         child_id: Annotated[uuid.UUID, Query(description="Ребёнок, для которого считать")]):
    async with rt.reads() as session:
        result, shares = await cost.group_cost(session, group_id, child_id, principal, rt.clock.today(), settings.pricing)
    return CostOut(payment=result.payment, reasons=result.reasons, reasons_ru=result.reasons_ru,
                   free_left=result.free_left,
                   monthly=[MonthCost(month=m, certificate_kop=c, copay_kop=p) for m, c, p in shares],
                   total_kop=sum(c + p for _, c, p in shares))
