"""GET /groups/{id}: one group with its schedule, seats, program and provider."""
from __future__ import annotations

import uuid

from fastapi import APIRouter

from pfdo_kit.dependencies import OptionalPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS
from services.catalog.api.programs import group_out
from services.catalog.api.schemas import GroupCard
from services.catalog.queries.programs import find_group

router = APIRouter(prefix="/api/v1", tags=["catalog"], responses=API_ERRORS)


@router.get(
    "/groups/{group_id}", response_model=GroupCard, summary="Группа",
    description="Одна группа: модуль и педагог, место, расписание на неделю, даты, свободные места, открыт ли "
                "набор, а также программа и поставщик. Группу опубликованной программы допущенного поставщика "
                "видят все, без входа, как и саму программу; группу черновика, снятой программы или программы "
                "приостановленного поставщика — только этот поставщик, оператор муниципалитета программы, "
                "региональный оператор и администратор; остальным — 404, как для несуществующей.")
async def get_group(group_id: uuid.UUID, principal: OptionalPrincipal, rt: Runtime):
    async with rt.sessions() as session:
        group, module, program, provider = await find_group(session, group_id, principal)
    return GroupCard(**group_out(group, module.title).model_dump(), program_title=program.title,
                     program_status=program.status, provider_id=provider.id, provider_name=provider.short_name)
