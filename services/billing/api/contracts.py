"""Contracts: the family reads and signs the offer; either side may end it."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import select

from pfdo_kit import idempotency as idem
from pfdo_kit.auth import Principal, current_principal, forbidden
from pfdo_kit.errors import API_ERRORS, conflict, invalid, not_found
from services.billing import contract_flow
from services.billing.api.access import scoped_contracts, sees_contract, today
from services.billing.domain.contracts import termination_date_problem
from services.billing.models import Contract, ContractMonth, idempotency_keys

router = APIRouter(prefix="/api/v1", tags=["contracts"], responses=API_ERRORS)
NOT_FOUND = "Договор не найден"


class MonthOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    month: str
    certificate_kop: int
    copay_kop: int
    planned_lessons: int


class ContractOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    number: str
    status: Literal["draft", "offered", "signed", "terminated", "void"]
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    provider_id: uuid.UUID
    provider_name: str
    program_id: uuid.UUID
    program_title: str
    group_id: uuid.UUID
    program_register: str
    starts_on: date
    ends_on: date
    reserved_kop: int
    charged_kop: int
    signed_on: date | None
    terminated_on: date | None
    terminated_by: str | None
    end_reason: str | None
    months: list[MonthOut] = []


class TerminateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terminated_on: date = Field(description="последний день действия договора")
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)]


async def _out(session, contract: Contract) -> ContractOut:
    months = (await session.execute(select(ContractMonth).where(ContractMonth.contract_id == contract.id)
                                    .order_by(ContractMonth.month))).scalars().all()
    return ContractOut.model_validate(contract).model_copy(
        update={"months": [MonthOut.model_validate(m) for m in months]})


@router.get("/contracts", response_model=list[ContractOut])
async def list_contracts(request: Request, principal: Annotated[Principal, Depends(current_principal)],
                         status: Annotated[str | None, Query(max_length=20)] = None,
                         child_id: uuid.UUID | None = None, group_id: uuid.UUID | None = None,
                         limit: Annotated[int, Query(ge=1, le=500)] = 100,
                         offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0):
    query = scoped_contracts(select(Contract), principal)
    for column, value in ((Contract.status, status), (Contract.child_id, child_id), (Contract.group_id, group_id)):
        if value is not None:
            query = query.where(column == value)
    async with request.app.state.runtime.sessions() as session:
        rows = (await session.execute(query.order_by(Contract.created_at, Contract.id).limit(limit).offset(offset)))
        return [ContractOut.model_validate(c) for c in rows.scalars()]


@router.get("/contracts/{contract_id}", response_model=ContractOut)
async def get_contract(contract_id: uuid.UUID, request: Request,
                       principal: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session:
        contract = await session.get(Contract, contract_id)
        if contract is None or not sees_contract(principal, contract):
            raise not_found(NOT_FOUND)
        return await _out(session, contract)


async def _locked(session, contract_id: uuid.UUID, principal: Principal) -> Contract:
    contract = await session.get(Contract, contract_id, with_for_update=True)
    if contract is None or not sees_contract(principal, contract):
        raise not_found(NOT_FOUND)
    return contract


@router.post("/contracts/{contract_id}/sign", response_model=ContractOut, summary="Подписать договор-оферту")
async def sign(contract_id: uuid.UUID, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    """Only the account that applied for the child signs (a parent, or the child of 14+ on their own account)."""
    rt, day = request.app.state.runtime, today(request)
    async with rt.sessions() as session, session.begin():
        contract = await _locked(session, contract_id, principal)
        if principal.role != "parent" or principal.subject != contract.owner:
            raise forbidden()
        if contract.status == "signed":
            return await _out(session, contract)  # signing twice changes nothing
        if contract.status != "offered":
            raise conflict("not-offered", "Договор нельзя подписать: средства ещё не зарезервированы или договор прекращён",
                           field="status", detail=f"contract is {contract.status}")
        if day > contract.ends_on:
            raise conflict("offer-expired", "Срок обучения по договору уже закончился", field="status")
        await rt.outbox.add(session, contract_flow.sign(contract, principal.actor, day))
        await session.flush()
        return await _out(session, contract)


@router.post("/contracts/{contract_id}/terminate", response_model=ContractOut, summary="Расторгнуть договор")
async def terminate(contract_id: uuid.UUID, body: TerminateIn, request: Request,
                    principal: Annotated[Principal, Depends(current_principal)]):
    rt, day = request.app.state.runtime, today(request)
    async with rt.sessions() as session, session.begin():
        if (replay := await idem.replay_or_claim(session, idempotency_keys, request, principal.subject)) is not None:
            return replay
        contract = await _locked(session, contract_id, principal)
        if principal.role not in ("parent", "provider", "operator"):
            raise forbidden()
        if principal.role == "parent" and principal.subject != contract.owner:
            raise forbidden()
        if contract.status in contract_flow.ENDED or contract.closed_out:
            raise conflict("contract-ended", "Договор уже прекращён", field="status",
                           detail=f"contract is {contract.status}")
        if (problem := termination_date_problem(body.terminated_on, day, contract.ends_on)) is not None:
            raise invalid("terminated_on", problem)
        await contract_flow.end(session, rt.outbox, contract, body.terminated_on, principal.role, body.reason)
        await session.flush()
        out = await _out(session, contract)
        await idem.remember(session, idempotency_keys, request, 200, out.model_dump(mode="json"))
        return out
