"""Month close: the operator asks once; the close runs in the background (`jobs/month_close.py`)
and reports its progress here."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pfdo_events.catalog import Month
from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from services.billing.api.dependencies import Settings
from services.billing.api.schemas import MonthCloseOut
from services.billing.domain.access import DISTRICT_STAFF
from services.billing.flows.month_close.requesting import request_close
from services.billing.queries.months import month_close

router = APIRouter(prefix="/api/v1", tags=["month close"], responses=API_ERRORS)
MonthPath = Annotated[Month, Path(description="месяц, ГГГГ-ММ", examples=["2026-09"])]


@router.post("/billing/months/{month}/close", status_code=status.HTTP_202_ACCEPTED, response_model=MonthCloseOut,
             summary="Закрыть месяц: начислить списания и выставить счета", description=(
                 "Оператор или администратор района. Месяц закрывается только после того, как он закончился "
                 "(409 month-not-over), и по порядку: сначала все более ранние месяцы с долями договоров "
                 "(409 earlier-month-open). Ответ 202: закрытие записано и идёт в фоне (charging → posting → "
                 "posted → closed); ход — `GET /billing/months/{month}`. Повторный запрос отвечает тем же "
                 "закрытием. С момента запроса отметки посещения за месяц больше не меняются. Правило оказанной услуги — настройка района на момент запроса: full_month — за "
                 "месяц с хотя бы одним посещением списывается вся доля сертификата, attended_share — доля × "
                 "посещённые / запланированные занятия (до копейки, половина вверх); без посещений — ничего; "
                 "никогда не больше, чем ещё удерживается под договор. Списывается только по договорам, "
                 "подписанным до конца месяца; неиспользованный остаток доли возвращается на сертификат. Когда "
                 "реестр сертификатов подтвердит все списания, каждому организатору выставляется счёт: "
                 "списания − аванс + перенесённый долг."))
async def close_month(month: MonthPath, rt: Runtime, settings: Settings, clock: CurrentClock,
                      principal: CurrentPrincipal):
    require_role(principal, *DISTRICT_STAFF)
    async with rt.sessions() as session, session.begin():
        run = await request_close(session, month, settings.delivered_rule, principal.actor, clock.today())
        return MonthCloseOut.model_validate(run)


@router.get("/billing/months/{month}", response_model=MonthCloseOut, summary="Ход закрытия месяца", description=(
    "Оператор или администратор района: статус закрытия (charging — начисление, posting — отправка списаний "
    "в реестр сертификатов, posted — ждём подтверждений, closed — счета выставлены), число и сумма списаний, "
    "отправленные пачки, подтверждения, выставленные счета. 404 — закрытие этого месяца не запрашивалось."))
async def get_month_close(month: MonthPath, rt: Runtime, principal: CurrentPrincipal):
    require_role(principal, *DISTRICT_STAFF)
    async with rt.sessions() as session:
        run = await month_close(session, month)
        if run is None:
            raise not_found("Закрытие этого месяца не запрашивалось")
        return MonthCloseOut.model_validate(run)
