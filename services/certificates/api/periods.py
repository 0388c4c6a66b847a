"""Funding periods, one per municipality and year: its operator sets the year's parameters, opens
and closes it (the credits and the expiry run in the background and report their progress)."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from pfdo_kit.auth import require_role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.certificates.api.dependencies import Settings
from services.certificates.api.schemas import RUN_ACCEPTED, PeriodIn, PeriodOut, RunOut, RunPage
from services.certificates.api.views import period_view, run_href, run_view
from services.certificates.domain.access import READER_ROLES
from services.certificates.flows import periods
from services.certificates.queries.periods import readable_period
from services.certificates.queries.runs import period_runs, visible_run

router = APIRouter(prefix="/api/v1/municipalities/{municipality}", tags=["periods"], responses=API_ERRORS)
MunicipalityCode = Annotated[str, Path(max_length=40, description=(
    "Код муниципалитета из GET /api/v1/municipalities; другой код — 422"), examples=["chegem"])]
Year = Annotated[int, Path(ge=2020, le=2100, description="Год периода финансирования", examples=[2026])]
_CHANGES = ("Меняют только оператор этого муниципалитета и администратор; оператор другого муниципалитета, "
            "региональный оператор и остальные — 403, ничего не меняется. Муниципалитета нет в установке — 422.")
_RUN = ("Работает в фоне: ответ 202 с запуском (заголовок Location и поле href — где следить за ходом: "
        "GET /municipalities/{municipality}/periods/{year}/runs/{run_id}); спрашивайте его, пока status не станет "
        "done или failed. Повторный запрос, пока запуск не закончен, отвечает тем же запуском.")


@router.put(
    "/periods/{year}", response_model=PeriodOut, summary="Задать параметры периода финансирования муниципалитета",
    description=(
        "Создаёт период года муниципалитета в состоянии draft или меняет его параметры: даты, номиналы по "
        "возрасту и категории (general, ovz), лимит сертификатов финансирования, число бесплатных программ по "
        "реестрам, бюджет. Всё это — только для сертификатов этого муниципалитета: у каждого муниципалитета свой "
        "период. Менять можно только draft: открытый или закрытый период — 409 period-started. " + _CHANGES))
async def set_period(municipality: MunicipalityCode, year: Year, body: PeriodIn, principal: CurrentPrincipal,
                     rt: Runtime, settings: Settings):
    values = body.model_dump(mode="json")
    values["starts_on"], values["ends_on"] = body.starts_on, body.ends_on
    async with rt.sessions() as session, session.begin():
        return period_view(await periods.put_period(session, principal, settings.municipalities, municipality, year,
                                                    values))


@router.get(
    "/periods/{year}", response_model=PeriodOut, summary="Период финансирования муниципалитета",
    description=(
        "Параметры периода года муниципалитета и его состояние (draft → open → closed). Видят оператор этого "
        "муниципалитета, региональный оператор и администратор; остальным — 403. Муниципалитета нет в "
        "установке — 422, периода нет — 404."))
async def get_period(municipality: MunicipalityCode, year: Year, principal: CurrentPrincipal, rt: Runtime,
                     settings: Settings):
    async with rt.reads() as session:
        return period_view(await readable_period(session, principal, settings.municipalities, municipality, year))


@router.post(
    "/periods/{year}/open", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut, responses=RUN_ACCEPTED,
    summary="Открыть период: начислить номиналы сертификатам ПФ муниципалитета",
    description=(
        "draft → open сразу; затем каждому активному сертификату финансирования этого муниципалитета "
        "зачисляется номинал его возраста и категории, один раз за период, пока позволяет бюджет муниципалитета "
        "(result.stopped_at_budget — бюджет остановил зачисления). Сертификаты других муниципалитетов период "
        "не трогает. Открыть уже открытый можно: новый запуск зачислит то, что не успел прежний. Закрытый "
        "период — 409 illegal-transition, периода нет — 404. " + _RUN + " " + _CHANGES))
async def open_period(municipality: MunicipalityCode, year: Year, response: Response, principal: CurrentPrincipal,
                      rt: Runtime, clock: CurrentClock, settings: Settings):
    async with rt.sessions() as session, session.begin():
        run = await periods.open_period(session, principal, settings.municipalities, municipality, year, clock.now())
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.post(
    "/periods/{year}/close", status_code=status.HTTP_202_ACCEPTED, response_model=RunOut, responses=RUN_ACCEPTED,
    summary="Закрыть период: неиспользованные деньги периода сгорают",
    description=(
        "open → closed сразу; затем у каждого сертификата муниципалитета сгорает то, что осталось от "
        "зачисления этого периода: номинал периода минус зарезервированное и списанное по договорам его года, "
        "но не больше свободного остатка (available_kop). Зарезервированное под договоры остаётся, деньги "
        "другого периода (например, уже зачисленные на следующий год) — тоже. Закрыть уже закрытый можно: "
        "запуск доделает остальное. Период в draft — 409 illegal-transition, периода нет — 404. " + _RUN + " "
        + _CHANGES))
async def close_period(municipality: MunicipalityCode, year: Year, response: Response, principal: CurrentPrincipal,
                       rt: Runtime, clock: CurrentClock, settings: Settings):
    async with rt.sessions() as session, session.begin():
        run = await periods.close_period(session, principal, settings.municipalities, municipality, year, clock.now())
    response.headers["Location"] = run_href(run)
    return run_view(run)


@router.get(
    "/periods/{year}/runs", response_model=RunPage, summary="Запуски открытия и закрытия периода",
    description=(
        "Все запуски открытия (kind=period_open) и закрытия (period_close) периода муниципалитета, новые сверху, с "
        "теми же полями, что GET /municipalities/{municipality}/periods/{year}/runs/{run_id}: страница может найти "
        "запуск, который оставила. Видят оператор этого муниципалитета, региональный оператор и администратор; "
        "остальным — 403. Муниципалитета нет в установке — 422, периода нет — 404."))
async def list_period_runs(municipality: MunicipalityCode, year: Year, principal: CurrentPrincipal, rt: Runtime,
                           settings: Settings, params: PageQuery):
    require_role(principal, *READER_ROLES)
    async with rt.reads() as session:
        await readable_period(session, principal, settings.municipalities, municipality, year)
        runs, total = await period_runs(session, municipality, year, params)
        return params.of(RunPage, [run_view(r) for r in runs], total)


@router.get(
    "/periods/{year}/runs/{run_id}", response_model=RunOut, summary="Ход открытия или закрытия периода",
    description=(
        "Запуск открытия (kind=period_open) или закрытия (period_close) периода муниципалитета: status (queued → "
        "running → done или failed, причина — в error), processed из total и цифры result. Видят оператор этого "
        "муниципалитета, региональный оператор и администратор; родителю и поставщику — 403, оператору другого "
        "муниципалитета — 404. Запуска нет, он другого года или другого муниципалитета — 404."))
async def get_period_run(municipality: MunicipalityCode, year: Year, run_id: uuid.UUID, principal: CurrentPrincipal,
                         rt: Runtime):
    require_role(principal, *READER_ROLES)
    async with rt.reads() as session:
        return run_view(await visible_run(session, principal, run_id, period_year=year, municipality=municipality))
