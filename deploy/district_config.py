"""A district's configuration in one validated file (`deploy/districts/<code>.yaml`): its
funding period and the rules its services run by. `load-district` applies the period through
the API; the rules become the services' environment (Helm values, compose)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from pfdo_kit.municipalities import Municipality, check_unique
from services.certificates.api.schemas import PeriodIn


class Period(PeriodIn):
    """The funding period as `PUT /municipalities/{municipality}/periods/{year}` takes it, with its year."""

    year: int = Field(ge=2020, le=2100)

    @model_validator(mode="after")
    def _inside_the_year(self) -> "Period":
        if not self.starts_on.year == self.ends_on.year == self.year:
            raise ValueError("the period lies within its year")
        return self

    def api_body(self) -> dict:
        return self.model_dump(mode="json", exclude={"year"})


PROCESS_PREFIXES = ("REGISTRY", "CERTIFICATES", "CATALOG", "BILLING", "NOTIFICATIONS", "GATEWAY")
CALENDAR_USERS = ("CATALOG", "BILLING")


class Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    min_age: int = 5
    max_age: int = 17
    certificate_number_prefix: str = Field(pattern=r"^\d{2}$")
    delivered_rule: Literal["full_month", "attended_share"] = "attended_share"
    advance_percent: int = Field(default=80, ge=0, le=100)
    offer_hours: int = Field(default=48, ge=1)
    normative_coefficient_permille: int = Field(default=1000, gt=0)
    # The region's own days on top of the Russian production calendar, which the services already
    # know (federal holidays and the days off moved by decree): a republic's holidays, a moved day.
    extra_days_off: list[date] = []
    extra_working_days: list[date] = []

    def service_env(self) -> dict[str, str]:
        """The environment variables that carry these rules to the services."""
        days_off = json.dumps([d.isoformat() for d in self.extra_days_off])
        working = json.dumps([d.isoformat() for d in self.extra_working_days])
        env = {"CERTIFICATES_MIN_AGE": str(self.min_age), "CERTIFICATES_MAX_AGE": str(self.max_age),
               "CERTIFICATES_NUMBER_PREFIX": self.certificate_number_prefix,
               "BILLING_DELIVERED_RULE": self.delivered_rule, "BILLING_ADVANCE_PERCENT": str(self.advance_percent),
               "CATALOG_OFFER_HOURS": str(self.offer_hours),
               "CATALOG_NORMATIVE_COEFFICIENT_PERMILLE": str(self.normative_coefficient_permille)}
        for prefix in CALENDAR_USERS:  # deadlines (catalog) and the advance window (billing) count working days
            env[f"{prefix}_EXTRA_DAYS_OFF"], env[f"{prefix}_EXTRA_WORKING_DAYS"] = days_off, working
        return env


class DistrictConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")
    name: str
    region: str
    municipalities: Annotated[list[Municipality], Field(min_length=1), AfterValidator(check_unique)]
    timezone: str = "Europe/Moscow"
    period: Period
    rules: Rules

    def service_env(self) -> dict[str, str]:
        """Everything the district's configuration tells the processes: its rules, its municipalities
        and its time zone."""
        municipalities = json.dumps([m.model_dump() for m in self.municipalities], ensure_ascii=False)
        return {**self.rules.service_env(), **{f"{p}_TIMEZONE": self.timezone for p in PROCESS_PREFIXES},
                **{f"{p}_MUNICIPALITIES": municipalities for p in PROCESS_PREFIXES}}


def load(path: str | Path) -> DistrictConfig:
    return DistrictConfig.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))
