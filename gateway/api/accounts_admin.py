"""Staff accounts, for an admin: made (operators bound to a municipality, admins, provider staff),
listed, blocked and let in again."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from gateway.api.schemas import AccountOut, AccountPage, AccountRow, StaffIn
from gateway.flows import accounts
from gateway.queries import accounts as account_reads
from pfdo_kit.auth import Role
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import problem_responses
from pfdo_kit.pagination import PageQuery

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


@router.get("/accounts", response_model=AccountPage, summary="Учётные записи (администратор)",
            description="Только администратор: учётные записи сотрудников и родителей, новые сначала, постранично. "
                        "`role` — только этой роли (другое значение — 422); `q` — часть адреса электронной почты "
                        "или имени, без учёта регистра. `status`: active — может входить, blocked — заблокирована. "
                        "Остальным — 403.",
            responses=problem_responses(401, 403, 422))
async def list_accounts(principal: CurrentPrincipal, rt: Runtime, params: PageQuery,
                        role: Annotated[Role | None, Query(description="Только учётные записи этой роли")] = None,
                        q: Annotated[str | None, Query(max_length=200, description="Часть адреса или имени")] = None):
    async with rt.reads() as session:
        found, total = await account_reads.page(session, principal, params, role, q)
    return params.of(AccountPage, [AccountRow.model_validate(a) for a in found], total)


@router.post("/accounts/{account_id}/block", response_model=AccountRow,
             summary="Заблокировать учётную запись (администратор)",
             description="Только администратор. Заблокированная учётная запись не может войти и обновить токен, "
                         "все её сеансы (refresh-токены) завершаются; уже выданный токен доступа действует до "
                         "конца своих минут. Свою учётную запись — 409 own-account; нет такой — 404; повтор "
                         "ничего не меняет. Остальным — 403.",
             responses=problem_responses(401, 403, 404, 409, 422))
async def block_account(account_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        return AccountRow.model_validate(
            await accounts.set_blocked(session, rt.outbox, account_id, True, principal, clock.now()))


@router.post("/accounts/{account_id}/unblock", response_model=AccountRow,
             summary="Разблокировать учётную запись (администратор)",
             description="Только администратор: учётная запись снова может входить (прежние сеансы не "
                         "возвращаются). Нет такой — 404; повтор ничего не меняет. Остальным — 403.",
             responses=problem_responses(401, 403, 404, 422))
async def unblock_account(account_id: uuid.UUID, principal: CurrentPrincipal, rt: Runtime, clock: CurrentClock):
    async with rt.sessions() as session, session.begin():
        return AccountRow.model_validate(
            await accounts.set_blocked(session, rt.outbox, account_id, False, principal, clock.now()))
