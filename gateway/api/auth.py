"""Registering and logging in. Failures say nothing about which part was wrong; repeated
failures are throttled per account and per client address."""
from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, status
from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from gateway import accounts
from gateway.domain.passwords import password_problem
from gateway.models import Account
from pfdo_kit.auth import Principal, current_principal
from pfdo_kit.errors import ProblemError, invalid, not_found, problem_responses

router = APIRouter(prefix="/api/v1", tags=["auth"])
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9 ()\-]{10,20}$")]


def _strong(value: str) -> str:
    if (problem := password_problem(value)) is not None:
        raise ValueError(problem)
    return value


Password = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_strong)]


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr
    phone: Phone
    password: Password
    municipality: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=100)]
    full_name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=300)] | None = None
    role: Literal["parent", "provider"] = Field(
        default="parent", description="provider: staff of a provider; bound to it once the operator approves it")


class AccountOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    email: str
    role: str
    municipality: str | None
    provider_id: uuid.UUID | None
    full_name: str | None


class TokenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grant_type: Literal["password", "refresh_token"] = "password"
    email: str | None = Field(default=None, max_length=320)
    password: str | None = Field(default=None, max_length=200)
    refresh_token: str | None = Field(default=None, max_length=200)


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int
    refresh_token: str


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _too_many(seconds: float) -> ProblemError:
    return ProblemError(429, "too-many-attempts", "Слишком много попыток входа, попробуйте позже",
                        headers={"Retry-After": str(max(1, int(seconds) + 1))})


@router.post("/auth/register", status_code=status.HTTP_201_CREATED, response_model=AccountOut,
             responses=problem_responses(400, 409, 422))
async def register(body: RegisterIn, request: Request):
    rt = request.app.state.runtime
    async with rt.sessions() as session, session.begin():
        account = await accounts.create_account(session, email=body.email, password=body.password, role=body.role,
                                                municipality=body.municipality, phone=body.phone,
                                                full_name=body.full_name, created_by="self")
        return AccountOut.model_validate(account)


@router.post("/auth/token", response_model=TokenOut, responses=problem_responses(400, 401, 422, 429))
async def token(body: TokenIn, request: Request):
    state, settings = request.app.state, request.app.state.settings
    rt, signer = state.runtime, state.signer
    async with rt.sessions() as session, session.begin():
        if body.grant_type == "refresh_token":
            if not body.refresh_token:
                raise invalid("refresh_token", "Нужен refresh_token")
            account = await accounts.by_refresh(session, body.refresh_token)
            if account is None:
                raise ProblemError(401, "unauthorized", "Сессия истекла, войдите снова")
        else:
            if not body.email or not body.password:
                raise invalid("email" if not body.email else "password", "Укажите адрес и пароль")
            who, where = body.email.strip().lower(), _client(request)
            wait = max(state.login_by_account.blocked_for(who), state.login_by_address.blocked_for(where))
            if wait:
                raise _too_many(wait)
            account = await accounts.by_password(session, body.email, body.password)
            if account is None:
                state.login_by_account.hit(who)
                state.login_by_address.hit(where)
                raise ProblemError(401, "unauthorized", "Неверный адрес электронной почты или пароль")
            state.login_by_account.clear(who)
        refresh = await accounts.issue_refresh(session, account, settings.refresh_ttl_s)
        return TokenOut(access_token=signer.access_token(account), expires_in=signer.access_ttl_s,
                        refresh_token=refresh)


@router.get("/me", response_model=AccountOut, responses=problem_responses(401, 404))
async def me(request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session:
        account = await session.get(Account, uuid.UUID(principal.subject))
        if account is None:
            raise not_found("Учётная запись не найдена")
        return AccountOut.model_validate(account)
