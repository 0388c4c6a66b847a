"""Programs, their modules and groups: written by their provider, certified by the
operator, found by anyone."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from pfdo_kit.dependencies import CurrentPrincipal, OptionalPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.catalog.api.dependencies import SearchingNow
from services.catalog.api.schemas import (
    CertifyIn,
    FacetCount,
    GroupIn,
    GroupOut,
    Highlight,
    ModuleOut,
    OwnProgram,
    OwnProgramPage,
    ProgramCard,
    ProgramIn,
    ProgramOut,
    ProgramPatch,
    SearchFacets,
    SearchPage,
    Suggestions,
)
from services.catalog.domain.facets import AGE_BANDS, band_name
from services.catalog.domain.groups import group_name
from services.catalog.domain.highlight import Highlighter
from services.catalog.domain.registers import certified_now
from services.catalog.domain.statuses import ProgramStatus
from services.catalog.domain.vocabulary import Direction, Level, SearchSort
from services.catalog.flows import programs as flow
from services.catalog.models import Group, Module, Program, Provider
from services.catalog.queries.programs import find_program, modules_and_groups, own_programs
from services.catalog.queries.search import SearchParams, search
from services.catalog.queries.search import facets as count_facets
from services.catalog.queries.suggest import suggest
from services.catalog.settings import CatalogSettings

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=API_ERRORS)


def group_out(g: Group, module_title: str) -> GroupOut:
    return GroupOut(id=g.id, program_id=g.program_id, module_id=g.module_id, name=group_name(module_title, g.teacher),
                    venue=g.venue, teacher=g.teacher, schedule=g.schedule, starts_on=g.starts_on, ends_on=g.ends_on,
                    capacity=g.capacity, free_seats=g.capacity - g.taken, enrollment_open=g.enrollment_open)


def _rating(program: Program) -> float | None:
    return round(program.rating_sum / program.rating_count, 2) if program.rating_count else None


def _program_out(program: Program, provider: Provider, modules: list[Module], groups: list[Group],
                 today: date) -> ProgramOut:
    titles = {m.id: m.title for m in modules}
    return ProgramOut(
        id=program.id, provider_id=program.provider_id, provider_name=provider.short_name, status=program.status,
        title=program.title, description=program.description, direction=program.direction, level=program.level,
        form=program.form, min_age=program.min_age, max_age=program.max_age, ovz_adapted=program.ovz_adapted,
        registers=program.registers, certified=certified_now(program.registers, program.certified_until, today),
        certification_score=program.certification_score, certified_until=program.certified_until,
        enrollment_limit=program.enrollment_limit, municipality=program.municipality, rating=_rating(program), reviews=program.rating_count,
        modules=[ModuleOut(id=m.id, title=m.title, hours=m.hours, price_kop=m.price_kop) for m in modules],
        groups=[group_out(g, titles[g.module_id]) for g in groups],
    )


def _own_program(program: Program, groups: int, today: date) -> OwnProgram:
    return OwnProgram(id=program.id, status=program.status, title=program.title, direction=program.direction,
                      level=program.level, form=program.form, min_age=program.min_age, max_age=program.max_age,
                      certified=certified_now(program.registers, program.certified_until, today),
                      certified_until=program.certified_until, municipality=program.municipality, groups=groups,
                      rating=_rating(program), reviews=program.rating_count, created_at=program.created_at)


async def _shown(session, program: Program, provider: Provider, today: date) -> ProgramOut:
    return _program_out(program, provider, *await modules_and_groups(session, program.id), today)


def _card(row, marks: Highlighter | None) -> ProgramCard:
    highlight = Highlight(title=marks.title(row["title"]), snippet=marks.snippet(row["description"])) if marks else None
    return ProgramCard(id=row["id"], title=row["title"], provider_name=row["provider_name"], direction=row["direction"],
                       level=row["level"], min_age=row["min_age"], max_age=row["max_age"], certified=row["certified"],
                       municipality=row["municipality"],
                       rating=round(row["rating"], 2) if row["rating"] is not None else None,
                       free_seats=row["free_seats"], nearest_start=row["nearest_start"],
                       price_from_kop=row["price_from_kop"], weekdays=row["weekdays"] or [],
                       full_match=row["full_match"], highlight=highlight)


def _facets(counted: list[tuple[str, str, int]]) -> SearchFacets:
    by: dict[str, dict[str, int]] = {}
    for facet, value, n in counted:
        by.setdefault(facet, {})[value] = n
    ranked = {name: [FacetCount(value=v, count=n) for v, n in sorted(by.get(name, {}).items(), key=lambda i: (-i[1], i[0]))]
              for name in ("direction", "level", "municipality")}
    bands = [FacetCount(value=name, count=by.get("age", {}).get(name, 0)) for name in
             (band_name(lo, hi) for lo, hi in AGE_BANDS)]
    return SearchFacets(**ranked, age=bands, certificate=by.get("certificate", {}).get("true", 0),
                        free_seats=by.get("free_seats", {}).get("true", 0))


def _public(response: Response, settings: CatalogSettings) -> Response:
    if ttl := settings.search_cache_s:  # the same for everyone: shared caches may keep it
        response.headers["Cache-Control"] = f"public, max-age={ttl}, stale-while-revalidate={settings.search_stale_s}"
    return response


def _json(body: SearchPage | Suggestions) -> Response:
    """The body as built, already valid: FastAPI would validate and serialise it once more
    (a third of a search's time in Python); `response_model` still documents it."""
    return Response(body.model_dump_json(), media_type="application/json")


@router.get(
    "/programs", response_model=SearchPage, summary="Поиск программ в Навигаторе",
    description="Доступно всем, без входа. Ищет опубликованные программы допущенных поставщиков по-русски: формы "
                "слов, однокоренные слова, синонимы и более узкие понятия тезауруса, опечатки; последнее слово "
                "запроса — и как начало слова. Программы, подходящие под все слова, идут первыми (`full_match`), "
                "за ними — подходящие под половину и больше.\n\n"
                "Фильтры: муниципалитет (код из списка муниципалитетов), направленность, уровень, возраст, оплата "
                "сертификатом, свободные места, день недели и время начала занятий, адаптация для ОВЗ. "
                "Значение вне допустимого набора (направленность, уровень, сортировка) — 422, а не пустой "
                "список. "
                "Сортировка: `relevance` — по совпадению со словами, `rating` — по оценке, `start` — по "
                "ближайшему началу занятий.\n\n"
                "Постранично; `full_matches` — сколько из `total` подходят под все слова; `facets=true` "
                "добавляет счётчики для панели фильтров. Ответ общий для всех и может кэшироваться на секунды, "
                "поэтому число свободных мест в выдаче может немного отставать; подача заявки всегда проверяет "
                "настоящие места.")
async def search_programs(
    searching: SearchingNow,
    params: PageQuery,
    q: Annotated[str | None, Query(max_length=200, description="слова для поиска, по-русски: формы слов, "
                                   "синонимы, опечатки; последнее слово — и как начало слова")] = None,
    municipality: Annotated[str | None, Query(max_length=100, description="код муниципалитета")] = None,
    direction: Annotated[Direction | None, Query(description="направленность")] = None,
    level: Annotated[Level | None, Query(description="уровень")] = None,
    age: Annotated[int | None, Query(ge=3, le=18, description="возраст ребёнка, лет")] = None,
    certificate: Annotated[bool | None, Query(description="true — только оплачиваемые сертификатом, "
                                              "false — только не оплачиваемые")] = None,
    free_seats: Annotated[bool, Query(description="только со свободными местами")] = False,
    weekday: Annotated[int | None, Query(ge=0, le=6, description="день занятий: 0 — понедельник … "
                                         "6 — воскресенье")] = None,
    after: Annotated[str | None, Query(pattern=r"^([01]\d|2[0-3]):[0-5]\d$", description="занятия не раньше ЧЧ:ММ")] = None,
    ovz: Annotated[bool | None, Query(description="только адаптированные для детей с ОВЗ")] = None,
    sort: Annotated[SearchSort, Query(description="порядок выдачи")] = "relevance",
    facets: Annotated[bool, Query(description="счётчики для панели фильтров")] = False,
):
    search_params = SearchParams(q=q or None, municipality=municipality, direction=direction, level=level, age=age,
                                 certificate=certificate, free_seats=free_seats, weekday=weekday, after=after,
                                 ovz=ovz, sort=sort)
    today, reads = searching.clock.today(), searching.reads
    analysed = await searching.plans.analysed(reads, q) if q and q.strip() else None
    analysed = analysed if analysed and analysed.plan.clauses else None
    plan = analysed.plan if analysed else None
    rows, total, full = await search(reads, search_params, plan, today, params.page, params.page_size)
    counted = await count_facets(reads, search_params, plan, today) if facets else None
    found = SearchPage(items=[_card(row, analysed.marks if analysed else None) for row in rows], total=total,
                       page=params.page, page_size=params.page_size, full_matches=full,
                       facets=_facets(counted) if counted is not None else None)
    return _public(_json(found), searching.settings)


@router.get(
    "/programs/suggest", response_model=Suggestions, summary="Подсказки при наборе запроса",
    description="Доступно всем, без входа. До 10 названий опубликованных программ для того, что набрано в строке "
                "поиска (с формами слов и опечатками); ответ общий для всех и может кэшироваться на секунды.")
async def suggest_program_titles(searching: SearchingNow, q: Annotated[str, Query(
        min_length=1, max_length=100, description="набранный текст")]):
    return _public(_json(Suggestions(items=await suggest(searching.reads, q))), searching.settings)


@router.post(
    "/programs", status_code=status.HTTP_201_CREATED, response_model=ProgramOut, summary="Создать программу",
    description="Сотрудник поставщика создаёт программу своего поставщика с модулями (часы и цена модуля в "
                "копейках) — черновик (`draft`) в муниципалитете поставщика. Черновик не виден в поиске и не "
                "принимает заявки, пока поставщик его не опубликует. `free_registers` — реестры бесплатных "
                "(бюджетных) программ; в реестр сертифицированных программу вносит региональный оператор. Не сотрудник "
                "поставщика или поставщик, которого реестр отклонил или исключил, — 403.")
async def create_program(body: ProgramIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.create(
            session, principal, body.model_dump(exclude={"modules", "free_registers"}), body.free_registers,
            [m.model_dump() for m in body.modules])
        return await _shown(session, program, provider, rt.clock.today())


@router.get(
    "/programs/mine", response_model=OwnProgramPage, summary="Программы своего поставщика",
    description="Программы поставщика, чей сотрудник спрашивает, во всех статусах — и черновики (`draft`), и "
                "снятые с публикации (`unpublished`); новые сначала, постранично, с числом групп. Фильтр "
                "`status` — `draft`, `published` или `unpublished`, другое значение — 422. Только для "
                "сотрудников поставщика; остальным — 403.")
async def list_my_programs(principal: CurrentPrincipal, rt: Runtime, params: PageQuery,
                           status_: Annotated[ProgramStatus | None, Query(
                               alias="status", description="Только программы в этом статусе")] = None):
    today = rt.clock.today()
    async with rt.reads() as session:
        rows, total = await own_programs(session, principal, status_, params)
    return params.of(OwnProgramPage, [_own_program(row.Program, row.groups, today) for row in rows], total)


@router.get(
    "/programs/{program_id}", response_model=ProgramOut, summary="Программа",
    description="Карточка программы с модулями и группами. Опубликованную программу допущенного поставщика видят "
                "все, без входа; черновик, снятую программу или программу поставщика, которого реестр "
                "приостановил, — только сам поставщик, оператор её муниципалитета, региональный оператор и "
                "администратор; остальным — 404. `certified` — программа сегодня оплачивается сертификатом (в реестре сертифицированных и "
                "срок сертификации не истёк); `rating` — средняя оценка отзывов.")
async def get_program(program_id: uuid.UUID, principal: OptionalPrincipal, rt: Runtime):
    async with rt.reads() as session:
        program, provider = await find_program(session, program_id, principal)
        return await _shown(session, program, provider, rt.clock.today())


@router.post(
    "/programs/{program_id}/publish", response_model=ProgramOut, summary="Опубликовать программу",
    description="Сотрудник поставщика публикует его программу (`published`): она появляется в поиске, а её группы "
                "принимают заявки. Только пока реестр считает поставщика допущенным (`approved`), иначе 409. "
                "Чужая программа — 403, а чужой черновик — 404.")
async def publish_program(program_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.publish(session, program_id, principal, rt.clock.today())
        return await _shown(session, program, provider, rt.clock.today())


@router.patch(
    "/programs/{program_id}", response_model=ProgramOut, summary="Изменить программу",
    description="Сотрудник поставщика меняет его программу: название, описание, направленность, уровень, форму, "
                "возраст, адаптацию для ОВЗ, предел набора — меняются только переданные поля (`enrollment_limit: null` "
                "снимает предел). Пока программа сертифицирована (`certified`), меняются только описание, предел "
                "набора и адаптация для ОВЗ: поле из сертифицированного (название, направленность, уровень, форма, "
                "возраст, модули) с другим значением — 409 `program-certified`, `field` — первое такое поле; то же "
                "значение изменением не считается. Модули (часы и "
                "цена) — только у черновика: у опубликованной или снятой программы по ним рассчитаны договоры "
                "семей — 409 `program-modules-frozen`. Модуль с `id` меняется, без `id` добавляется. Поиск "
                "показывает изменения сразу. Минимальный возраст больше максимального — 422 (`min_age`). Чужая "
                "программа — 403, а чужой черновик — 404; поставщику, которого реестр отклонил или исключил, — 403.")
async def edit_program(program_id: uuid.UUID, body: ProgramPatch, principal: CurrentPrincipal, rt: Runtime):
    today = rt.clock.today()
    modules = [m.model_dump() for m in body.modules] if body.modules is not None else None
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.edit(session, program_id, principal, body.changes(), modules, today)
        return await _shown(session, program, provider, today)


@router.post(
    "/programs/{program_id}/unpublish", response_model=ProgramOut, summary="Снять программу с публикации",
    description="Сотрудник поставщика закрывает набор на всю программу (`unpublished`): она сразу уходит из поиска, "
                "новые заявки в её группы не принимаются (409 `program-unpublished`), а поданные заявки, "
                "договоры и группы продолжаются. `publish` открывает её снова. Черновик — 409 "
                "`program-not-published`; повторное снятие ничего не меняет. Чужая программа — 403, а чужой "
                "черновик — 404.")
async def unpublish_program(program_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    today = rt.clock.today()
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.unpublish(session, program_id, principal, today)
        return await _shown(session, program, provider, today)


@router.post(
    "/programs/{program_id}/certify", response_model=ProgramOut, summary="Сертифицировать программу",
    description="Сертификация — дело региона: региональный оператор или администратор вносит программу в реестр "
                "сертифицированных с баллом и сроком: по `valid_until` включительно её оплачивает сертификат (не "
                "дороже нормативной стоимости, остальное доплачивает семья). Срок в прошлом — 422. Остальным, в "
                "том числе операторам муниципалитетов, — 403, а не видимой им программы — 404; ничего не "
                "меняется.")
async def certify_program(program_id: uuid.UUID, body: CertifyIn, principal: CurrentPrincipal, rt: Runtime):
    today = rt.clock.today()
    async with rt.sessions() as session, session.begin():
        program, provider = await flow.certify(session, program_id, principal, body.score, body.valid_until, today)
        return await _shown(session, program, provider, today)


@router.post(
    "/programs/{program_id}/groups", status_code=status.HTTP_201_CREATED, response_model=GroupOut,
    summary="Добавить группу",
    description="Сотрудник поставщика добавляет группу к программе своего поставщика по одному из её модулей: "
                "место занятий, педагог, расписание на неделю, даты начала и конца, число мест, открыт ли набор. "
                "Модуль другой программы — 422 (`module_id`); чужая программа — 403 или 404. По расписанию "
                "считаются плановые занятия договоров — с начала каждого договора.")
async def create_group(program_id: uuid.UUID, body: GroupIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        group = await flow.add_group(session, program_id, principal, today=rt.clock.today(), **body.model_dump())
        return group_out(group, (await session.get(Module, group.module_id)).title)
