"""Accounts made by an admin: operators (bound to a municipality), admins, provider staff."""
from __future__ import annotations

from fastapi import APIRouter, status

from gateway.api.schemas import AccountOut, StaffIn
from gateway.flows import accounts
from pfdo_kit.dependencies import CurrentPrincipal, Runtime
from pfdo_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountOut,
             responses=problem_responses(400, 401, 403, 409, 422))
async def create_staff(body: StaffIn, principal: CurrentPrincipal, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return AccountOut.model_validate(await accounts.create_by_admin(session, rt.outbox, body, principal))
