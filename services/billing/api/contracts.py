"""Contracts: the family reads and signs the offer; either side may end it."""
from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit import idempotency as idem
from pfdo_kit.auth import Principal, forbidden
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import API_ERRORS, not_found
from services.billing.api.schemas import ContractOut, MonthOut, TerminateIn
from services.billing.domain.access import contract_scope, may_sign, may_terminate, sees_contract
from services.billing.domain.contracts import held_kop
from services.billing.flows import contracts
from services.billing.models import Contract, idempotency_keys
from services.billing.queries.contracts import contracts_within, find_contract, schedule_of

router = APIRouter(prefix="/api/v1", tags=["contracts"], responses=API_ERRORS)
NOT_FOUND = "Договор не найден"


def _summary(contract: Contract) -> ContractOut:
    """The contract as a list shows it: `reserved_kop` is what is held for it now, not the offer's sum."""
    return ContractOut.model_validate(contract).model_copy(update={
        "reserved_kop": held_kop(contract.reserved_kop, contract.released_kop, contract.charged_kop)})


async def _out(session: AsyncSession, contract: Contract) -> ContractOut:
    months = await schedule_of(session, contract)
    return _summary(contract).model_copy(update={"months": [MonthOut.model_validate(m) for m in months]})


async def _visible(session: AsyncSession, contract_id: uuid.UUID, principal: Principal, *,
                   for_update: bool = False) -> Contract:
    contract = await find_contract(session, contract_id, lock=for_update)
    if contract is None or not sees_contract(principal, contract):
        raise not_found(NOT_FOUND)
    return contract


@router.get("/contracts", response_model=list[ContractOut])
async def list_contracts(rt: Runtime, principal: CurrentPrincipal,
                         status: Annotated[str | None, Query(max_length=20)] = None,
                         child_id: uuid.UUID | None = None, group_id: uuid.UUID | None = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 100,
                         offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    async with rt.sessions() as session:
        rows = await contracts_within(session, contract_scope(principal), status=status, child_id=child_id,
                                      group_id=group_id, limit=limit, offset=offset)
        return [_summary(c) for c in rows]


@router.get("/contracts/{contract_id}", response_model=ContractOut)
async def get_contract(contract_id: uuid.UUID, rt: Runtime, principal: CurrentPrincipal):
    async with rt.sessions() as session:
        return await _out(session, await _visible(session, contract_id, principal))


@router.post("/contracts/{contract_id}/sign", response_model=ContractOut, summary="Подписать договор-оферту")
async def sign(contract_id: uuid.UUID, rt: Runtime, clock: CurrentClock, principal: CurrentPrincipal):
    """Only the account that applied for the child signs (a parent, or the child of 14+ on their own account)."""
    async with rt.sessions() as session, session.begin():
        contract = await _visible(session, contract_id, principal, for_update=True)
        if not may_sign(principal, contract):
            raise forbidden()
        await contracts.sign(session, rt.outbox, contract, principal.actor, clock.today())
        await session.flush()
        return await _out(session, contract)


@router.post("/contracts/{contract_id}/terminate", response_model=ContractOut, summary="Расторгнуть договор")
async def terminate(contract_id: uuid.UUID, body: TerminateIn, request: Request, rt: Runtime, clock: CurrentClock,
                    principal: CurrentPrincipal):
    async with rt.sessions() as session, session.begin():
        async def answer() -> ContractOut:
            contract = await _visible(session, contract_id, principal, for_update=True)
            if not may_terminate(principal, contract):
                raise forbidden()
            await contracts.terminate(session, rt.outbox, contract, body.terminated_on, principal.role, body.reason,
                                      clock.today())
            await session.flush()
            return await _out(session, contract)
        return await idem.answer_once(session, idempotency_keys, request, principal.subject, 200, answer)
