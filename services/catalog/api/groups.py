"""One group: GET /groups/{id} with its schedule, seats, program and provider; its provider closes
and reopens its enrollment; a provider's own groups, a page at a time."""
from __future__ import annotations

import uuid

from fastapi import APIRouter

from pfdo_kit.dependencies import CurrentPrincipal, OptionalPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from pfdo_kit.pagination import PageQuery
from services.catalog.api.programs import group_out
from services.catalog.api.schemas import GroupCard, GroupCardPage
from services.catalog.flows import programs as flow
from services.catalog.models import Group, Module, Program, Provider
from services.catalog.queries.programs import find_group, own_groups

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=API_ERRORS)


def _card(group: Group, module: Module, program: Program, provider: Provider) -> GroupCard:
    return GroupCard(**group_out(group, module.title).model_dump(), program_title=program.title,
                     program_status=program.status, provider_id=provider.id, provider_name=provider.short_name)


@router.get(
    "/groups/mine", response_model=GroupCardPage, summary="Группы своего поставщика",
    description="Группы всех программ поставщика, чей сотрудник спрашивает (и черновиков, и снятых с публикации), "
                "по названию программы и началу занятий, постранично: модуль и педагог, место, расписание, даты, "
                "места, открыт ли набор, программа и её статус — кабинету (журнал посещаемости) не нужен запрос на "
                "каждую программу. Только для сотрудников поставщика; остальным — 403.")
async def list_my_groups(principal: CurrentPrincipal, rt: Runtime, params: PageQuery):
    async with rt.reads() as session:
        rows, total = await own_groups(session, principal, params)
    return params.of(GroupCardPage, [_card(*row) for row in rows], total)


@router.get(
    "/groups/{group_id}", response_model=GroupCard, summary="Группа",
    description="Одна группа: модуль и педагог, место, расписание на неделю, даты, свободные места, открыт ли "
                "набор, а также программа и поставщик. Группу опубликованной программы допущенного поставщика "
                "видят все, без входа, как и саму программу; группу черновика, снятой программы или программы "
                "приостановленного поставщика — только этот поставщик, оператор муниципалитета программы, "
                "региональный оператор и администратор; остальным — 404, как для несуществующей.")
async def get_group(group_id: uuid.UUID, principal: OptionalPrincipal, rt: Runtime):
    async with rt.reads() as session:
        return _card(*await find_group(session, group_id, principal))


_ENROLLMENT_RULES = ("Поданные заявки, места и договоры группы остаются. Чужая группа — 403, а группа чужого "
                     "черновика — 404. Повтор ничего не меняет.")


@router.post(
    "/groups/{group_id}/close-enrollment", response_model=GroupCard, summary="Закрыть набор в группу",
    description="Сотрудник поставщика перестаёт принимать новые заявки в группу (например, занятия начались или "
                "группа набрана): `enrollment_open` становится false, новая заявка — 409 `enrollment-closed` "
                "(`group_id`), а поиск считает у группы ноль свободных мест. " + _ENROLLMENT_RULES)
async def close_group_enrollment(group_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return _card(*await flow.set_enrollment(session, group_id, principal, False, rt.clock.today()))


@router.post(
    "/groups/{group_id}/open-enrollment", response_model=GroupCard, summary="Открыть набор в группу",
    description="Сотрудник поставщика снова принимает заявки в группу: `enrollment_open` становится true, поиск "
                "снова считает её свободные места. " + _ENROLLMENT_RULES)
async def open_group_enrollment(group_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return _card(*await flow.set_enrollment(session, group_id, principal, True, rt.clock.today()))
