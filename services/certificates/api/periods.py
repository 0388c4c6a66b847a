"""Funding periods: the operator sets the year's parameters, opens and closes it (the credits
and the expiry run in the background and report their progress)."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.certificates.api.schemas import RUN_ACCEPTED, PeriodIn, PeriodOut, RunOut
from services.certificates.api.views import period_view, run_href, run_view
from services.certificates.domain.access import STAFF_ROLES
from services.certificates.flows import periods
from services.certificates.queries.periods import find_period
from services.certificates.queries.runs import visible_run

router = APIRouter(prefix="/api/v1", tags=["periods"], responses=API_ERRORS)
Year = Annotated[int, Path(ge=2020, le=2100, description="Год периода финансирования", examples=[2026])]
_STAFF = "Только операторы и администратор района; остальным — 403."
_RUN = ("Работает в фоне: ответ 202 с запуском (заголовок Location и поле href — где следить за ходом: "
        "GET /periods/{year}/runs/{run_id}); спрашивайте его, пока status не станет done или failed. Повторный "
        "запрос, пока запуск не закончен, отвечает тем же запуском.")


@router.put(
    "/periods/{year}", response_model=PeriodOut, summary="Задать параметры периода финансирования",
    description=(
        "Создаёт период года в состоянии draft или меняет его параметры: даты, номиналы по возрасту и категории "
        "(general, ovz), лимит сертификатов финансирования, число бесплатных программ по реестрам, бюджет. "
        "Менять можно только draft: открытый или закрытый период — 409 period-started. " + _STAFF))
async def set_period(year: Year, body: PeriodIn, principal: CurrentPrincipal, rt: Runtime):
    require_role(principal, *STAFF_ROLES)
    values = body.model_dump(mode="json")
    values["starts_on"], values["ends_on"] = body.starts_on, body.ends_on
    async with rt.sessions() as session, session.begin():
        return period_view(await periods.put_period(session, year, values))


@router.get(
    "/periods/{year}", response_model=PeriodOut, summary="Период финансирования",
    description=("Параметры периода года и его состояние (draft → open → closed). Видит любой вошедший; "
                 "периода нет — 404."))
async def get_period(year: Year, _: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session:
        return period_view(await find_period(session, year))


@router.post(
    "/periods/{year}/open", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut, responses=RUN_ACCEPTED,
    summary="Открыть период: начислить номиналы сертификатам ПФ",
    description=(
        "draft → open сразу; затем каждому активному сертификату финансирования зачисляется номинал его "
        "возраста и категории, один раз за период, пока позволяет бюджет (result.stopped_at_budget — бюджет "
        "остановил зачисления). Открыть уже открытый можно: новый запуск зачислит то, что не успел прежний. "
        "Закрытый период — 409 illegal-transition, периода нет — 404. " + _RUN + " " + _STAFF))
async def open_period(year: Year, response: Response, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session, session.begin():
        run = await periods.open_period(session, principal, year, clock.now())
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.post(
    "/periods/{year}/close", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut, responses=RUN_ACCEPTED,
    summary="Закрыть период: несвязанный остаток сгорает",
    description=(
        "open → closed сразу; затем у каждого сертификата сгорает свободный остаток (available_kop), "
        "зарезервированное под договоры остаётся. Закрыть уже закрытый можно: запуск доделает остальное. "
        "Период в draft — 409 illegal-transition, периода нет — 404. " + _RUN + " " + _STAFF))
async def close_period(year: Year, response: Response, principal: CurrentPrincipal, rt: Runtime,
                       clock: CurrentClock):
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session, session.begin():
        run = await periods.close_period(session, principal, year, clock.now())
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.get(
    "/periods/{year}/runs/{run_id}", response_model=RunOut, summary="Ход открытия или закрытия периода",
    description=(
        "Запуск открытия (kind=period_open) или закрытия (period_close) периода: status (queued → running → done "
        "или failed, причина — в error), processed из total и цифры result. " + _STAFF + " Запуска нет "
        "или он другого года — 404."))
async def get_period_run(year: Year, run_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    require_role(principal, *STAFF_ROLES)
    async with rt.sessions() as session:
        return run_view(await visible_run(session, principal, run_id, period_year=year))
