"""Accounts made by an admin: operators (bound to a municipality), admins, provider staff."""
from __future__ import annotations

from fastapi import APIRouter, Request, status

from gateway.api.schemas import AccountOut, StaffIn
from gateway.flows import accounts
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountOut,
             summary="Создать учётную запись сотрудника (администратор)",
             description="Только администратор. Оператор привязывается к муниципалитету (код из "
                         "GET /api/v1/municipalities), сотрудник поставщика — к поставщику (provider_id). "
                         "Занятый адрес — 409 account-exists.",
             responses=problem_responses(400, 401, 403, 409, 422))
async def create_staff_account(body: StaffIn, request: Request, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return AccountOut.model_validate(await accounts.create_by_admin(
            session, rt.outbox, body, principal, request.app.state.settings.municipalities))
