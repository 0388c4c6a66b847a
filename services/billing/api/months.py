"""A payer's month close: its operator asks once; the close runs in the background
(`jobs/month_close.py`) and reports its progress here."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from pfdo_events.catalog import Month
from pfdo_kit.auth import forbidden, require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from pfdo_kit.municipalities import known
from pfdo_kit.pagination import PageQuery
from services.billing.api.dependencies import Settings
from services.billing.api.schemas import MonthCloseOut, MonthClosePage
from services.billing.domain.access import may_close_month, sees_month
from services.billing.flows.month_close.requesting import request_close
from services.billing.queries.months import month_close, month_closes

router = APIRouter(prefix="/api/v1", tags=["month close"], responses=API_ERRORS)
MonthPath = Annotated[Month, Path(description="месяц, ГГГГ-ММ", examples=["2026-09"])]
MunicipalityPath = Annotated[str, Path(description="муниципалитет-плательщик (код из GET /api/v1/municipalities)",
                                       examples=["chegem"])]


@router.post("/municipalities/{municipality}/months/{month}/close", status_code=status.HTTP_202_ACCEPTED,
             response_model=MonthCloseOut,
             summary="Закрыть месяц плательщика: начислить списания и выставить счета", description=(
                 "Оператор этого муниципалитета или администратор; оператору другого муниципалитета, "
                 "региональному оператору и остальным — 403; неизвестный муниципалитет — 422 на `municipality`. "
                 "Закрываются только договоры, за которые платит этот муниципалитет (муниципалитет сертификата "
                 "ребёнка); у каждого муниципалитета своё закрытие месяца. Месяц закрывается только после того, "
                 "как он закончился (409 month-not-over), и по порядку: сначала все более ранние месяцы с долями "
                 "договоров этого плательщика (409 earlier-month-open). Ответ 202: закрытие записано и идёт в фоне "
                 "(charging → posting → posted → closed); ход — `GET /municipalities/{municipality}/months/{month}`. "
                 "Повторный запрос отвечает тем же закрытием. С момента запроса отметки посещения за месяц детей "
                 "этого плательщика больше не меняются. Правило оказанной услуги — настройка региона на момент "
                 "запроса: full_month — за месяц с хотя бы одним посещением списывается вся доля сертификата, "
                 "attended_share — доля × посещённые / запланированные занятия (до копейки, половина вверх); без "
                 "посещений — ничего; никогда не больше, чем ещё удерживается под договор. Списывается только по "
                 "договорам, подписанным до конца месяца; неиспользованный остаток доли возвращается на "
                 "сертификат. Когда реестр сертификатов подтвердит все списания, каждому организатору выставляется "
                 "счёт этому плательщику: списания − часть аванса этого плательщика + перенесённый долг."))
async def close_month(municipality: MunicipalityPath, month: MonthPath, rt: Runtime, settings: Settings,
                      clock: CurrentClock, principal: CurrentPrincipal):
    require_role(principal, "operator", "admin")
    known(settings.municipalities, municipality)
    if not may_close_month(principal, municipality):
        raise forbidden()
    async with rt.sessions() as session, session.begin():
        run = await request_close(session, month, municipality, settings.delivered_rule, principal.actor,
                                  clock.today())
        return MonthCloseOut.model_validate(run)


def _readable(principal, settings, municipality: str) -> None:
    require_role(principal, "operator", "regional_operator", "admin")
    known(settings.municipalities, municipality)
    if not sees_month(principal, municipality):
        raise forbidden()


@router.get("/municipalities/{municipality}/months", response_model=MonthClosePage,
            summary="Закрытия месяцев плательщика", description=(
                "Все запрошенные закрытия месяцев этого плательщика, новые месяцы сверху, с тем же ходом, что "
                "в GET /municipalities/{municipality}/months/{month}: страница может найти закрытие, которое "
                "оставила. Оператор этого муниципалитета, региональный оператор или администратор; оператору "
                "другого муниципалитета и остальным — 403; неизвестный муниципалитет — 422 на `municipality`."))
async def list_month_closes(municipality: MunicipalityPath, rt: Runtime, settings: Settings,
                            principal: CurrentPrincipal, params: PageQuery):
    _readable(principal, settings, municipality)
    async with rt.reads() as session:
        rows, total = await month_closes(session, municipality, params)
        return params.of(MonthClosePage, [MonthCloseOut.model_validate(r) for r in rows], total)


@router.get("/municipalities/{municipality}/months/{month}", response_model=MonthCloseOut,
            summary="Ход закрытия месяца плательщика", description=(
                "Оператор этого муниципалитета, региональный оператор или администратор; оператору другого "
                "муниципалитета и остальным — 403; неизвестный муниципалитет — 422 на `municipality`. Статус "
                "закрытия (charging — начисление, posting — отправка списаний в реестр сертификатов, posted — ждём "
                "подтверждений, closed — счета выставлены), число и сумма списаний, отправленные пачки, "
                "подтверждения, выставленные счета. 404 — закрытие этого месяца плательщиком не запрашивалось."))
async def get_month_close(municipality: MunicipalityPath, month: MonthPath, rt: Runtime, settings: Settings,
                          principal: CurrentPrincipal):
    _readable(principal, settings, municipality)
    async with rt.reads() as session:
        run = await month_close(session, month, municipality)
        if run is None:
            raise not_found("Закрытие этого месяца не запрашивалось")
        return MonthCloseOut.model_validate(run)
