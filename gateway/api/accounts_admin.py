"""Accounts made by an admin: operators (bound to a municipality), admins, provider staff."""
from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from gateway import accounts
from gateway.api.auth import AccountOut, Password
from pfdo_kit.auth import Principal, current_principal, require_role
from pfdo_kit.errors import problem_responses

router = APIRouter(prefix="/api/v1", tags=["auth"])


class StaffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr
    password: Password
    role: Literal["operator", "admin", "provider"]
    municipality: str | None = Field(default=None, max_length=100)
    provider_id: uuid.UUID | None = None
    full_name: str | None = Field(default=None, max_length=300)

    @model_validator(mode="after")
    def _scope(self) -> "StaffIn":
        if self.role == "operator" and not self.municipality:
            raise ValueError("Оператору нужен муниципалитет")
        if self.role == "provider" and not self.provider_id:
            raise ValueError("Сотруднику поставщика нужен provider_id")
        return self


@router.post("/accounts", status_code=status.HTTP_201_CREATED, response_model=AccountOut,
             responses=problem_responses(400, 401, 403, 409, 422))
async def create_staff(body: StaffIn, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "admin")
    async with request.app.state.runtime.sessions() as session, session.begin():
        account = await accounts.create_account(
            session, email=body.email, password=body.password, role=body.role, municipality=body.municipality,
            provider_id=body.provider_id, full_name=body.full_name, created_by=principal.actor)
        return AccountOut.model_validate(account)
