"""Request and response bodies of the gateway's own routes (auth, password reset, accounts made
by an admin, the cabinet). The services' bodies are theirs: the proxy passes them through untouched."""
from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from gateway.domain.passwords import password_problem

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


class LogoutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=200)
    all_sessions: bool = Field(default=False, description="завершить все сеансы этой учётной записи, не только этот")


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: EmailStr


class PasswordResetConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    token: str = Field(min_length=1, max_length=200, description="из ссылки в письме")
    new_password: Password


class Part(BaseModel):
    status: str  # ok | unavailable
    data: Any = None
    reason: str | None = None


class CabinetOut(BaseModel):
    children: Part
    applications: Part
    contracts: Part
    debits: Part
