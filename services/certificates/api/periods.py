"""Funding periods: the operator sets the year's parameters, opens and closes it."""
from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field, model_validator

from pfdo_kit.auth import Principal, current_principal, require_role
from pfdo_kit.errors import API_ERRORS, conflict, not_found
from pfdo_kit.money import MAX_KOP
from services.certificates.models import FundingPeriod
from services.certificates.period_runs import BudgetExhausted, credit_funded, expire_unreserved

router = APIRouter(prefix="/api/v1", tags=["periods"], responses=API_ERRORS)
Year = Annotated[int, Path(ge=2020, le=2100)]


class NominalIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_age: int = Field(ge=0, le=18)
    max_age: int = Field(ge=0, le=18)
    category: Literal["general", "ovz"] = "general"
    amount_kop: int = Field(gt=0, le=MAX_KOP)


class FreeLimits(BaseModel):
    model_config = ConfigDict(extra="forbid")
    significant: int = Field(ge=0, description="значимые программы")
    preprofessional: int = Field(ge=0, description="предпрофессиональные")
    other: int = Field(ge=0, description="иные")


class PeriodIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    starts_on: date
    ends_on: date
    nominals: list[NominalIn] = Field(min_length=1, max_length=50)
    funded_quota: int = Field(ge=0, le=10_000_000, description="сертификатов ПФ на период")
    free_limits: FreeLimits
    budget_cap_kop: int = Field(ge=0, le=MAX_KOP)

    @model_validator(mode="after")
    def dates_in_order(self) -> "PeriodIn":
        if self.ends_on < self.starts_on:
            raise ValueError("Период заканчивается раньше, чем начинается")
        return self


class PeriodOut(PeriodIn):
    year: int
    status: Literal["draft", "open", "closed"]


class RunOut(BaseModel):
    year: int
    status: str
    moved_now: int = Field(description="certificates credited, or kopecks expired, by this run")


def _out(p: FundingPeriod) -> PeriodOut:
    return PeriodOut(year=p.year, status=p.status, starts_on=p.starts_on, ends_on=p.ends_on, nominals=p.nominals,
                     funded_quota=p.funded_quota, free_limits=p.free_limits, budget_cap_kop=p.budget_cap_kop)


@router.put("/periods/{year}", response_model=PeriodOut)
async def set_period(year: Year, body: PeriodIn, request: Request,
                     principal: Annotated[Principal, Depends(current_principal)]):
    require_role(principal, "operator", "admin")
    async with request.app.state.runtime.sessions() as session, session.begin():
        period = await session.get(FundingPeriod, year, with_for_update=True)
        if period is not None and period.status != "draft":
            raise conflict("period-started", "Параметры открытого или закрытого периода менять нельзя")
        values = body.model_dump(mode="json")
        values["starts_on"], values["ends_on"] = body.starts_on, body.ends_on
        if period is None:
            period = FundingPeriod(year=year, status="draft", **values)
            session.add(period)
        else:
            for key, value in values.items():
                setattr(period, key, value)
        await session.flush()
        return _out(period)


@router.get("/periods/{year}", response_model=PeriodOut)
async def get_period(year: Year, request: Request, _: Annotated[Principal, Depends(current_principal)]):
    async with request.app.state.runtime.sessions() as session:
        period = await session.get(FundingPeriod, year)
    if period is None:
        raise not_found("Период не найден")
    return _out(period)


async def _switch(request: Request, year: int, allowed: set[str], target: str) -> FundingPeriod:
    async with request.app.state.runtime.sessions() as session, session.begin():
        period = await session.get(FundingPeriod, year, with_for_update=True)
        if period is None:
            raise not_found("Период не найден")
        if period.status not in allowed:
            raise conflict("illegal-transition", "Период в этом состоянии нельзя открыть или закрыть", field="status")
        period.status = target
        return period


@router.post("/periods/{year}/open", response_model=RunOut)
async def open_period(year: Year, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    """Open the period and credit every funded certificate; run again to finish an interrupted run."""
    require_role(principal, "operator", "admin")
    period = await _switch(request, year, {"draft", "open"}, "open")
    try:
        made = await credit_funded(request.app.state.runtime.sessions, request.app.state.runtime.outbox, period)
    except BudgetExhausted as exc:
        raise conflict("budget-exhausted", "Бюджет периода исчерпан: начисления остановлены", detail=str(exc),
                       field="budget_cap_kop") from None
    return RunOut(year=year, status="open", moved_now=made)


@router.post("/periods/{year}/close", response_model=RunOut)
async def close_period(year: Year, request: Request, principal: Annotated[Principal, Depends(current_principal)]):
    """Close the period: what is not reserved expires. Safe to run again."""
    require_role(principal, "operator", "admin")
    await _switch(request, year, {"open", "closed"}, "closed")
    expired = await expire_unreserved(request.app.state.runtime.sessions, request.app.state.runtime.outbox, year)
    return RunOut(year=year, status="closed", moved_now=expired)
