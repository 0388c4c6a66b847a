"""The region's rules billing applies, read-only (they are the region's configuration)."""
from __future__ import annotations

from fastapi import APIRouter

from pfdo_kit.dependencies import CurrentPrincipal
from pfdo_kit.errors import API_ERRORS
from services.billing.api.dependencies import Settings
from services.billing.api.schemas import RulesOut
from services.billing.domain.charges import RULE_WORDS

router = APIRouter(prefix="/api/v1", tags=["rules"], responses=API_ERRORS)


@router.get("/rules", response_model=RulesOut, summary="Правила региона для расчётов", description=(
    "Правило оказанной услуги, доля аванса, сроки споров, версии шаблонов договора и часовой пояс — как их "
    "применяет расчёт. Только чтение: правила задаёт конфигурация региона. Читает любой вошедший (правила "
    "открыты семьям и организаторам так же, как сотрудникам)."))
async def get_rules(settings: Settings, principal: CurrentPrincipal):
    return RulesOut(delivered_rule=settings.delivered_rule, delivered_rule_text=RULE_WORDS[settings.delivered_rule],
                    advance_percent=settings.advance_percent, dispute_window_days=settings.dispute_window_days,
                    dispute_answer_days=settings.dispute_answer_days, offer_template=settings.offer_template,
                    termination_template=settings.termination_template, timezone=settings.timezone)
