"""A region's configuration in one validated file (`deploy/regions/<code>.yaml`): the region's
rules (one set for the whole installation), its time zone and its municipalities, each a payer
with its own code, name, OKTMO and funding period. `load-region` applies each municipality's
period through the API; the rules and the municipalities become the services' environment
(Helm values, compose's env file: `python -m deploy.cli region-files`)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from pfdo_kit.document_templates import NAME as TEMPLATE_NAME
from pfdo_kit.document_templates import TemplateProblem, TemplateShelf
from pfdo_kit.municipalities import Municipality, check_unique
from services.certificates.api.schemas import PeriodIn

REGIONS = Path(__file__).parent / "regions"
DOCUMENTS = Path(__file__).parent / "documents"  # the contract documents' templates, a set per region


class Period(PeriodIn):
    """A municipality's funding period as `PUT /municipalities/{code}/periods/{year}` takes it,
    with its year."""

    year: int = Field(ge=2020, le=2100)

    @model_validator(mode="after")
    def _inside_the_year(self) -> Period:
        if not self.starts_on.year == self.ends_on.year == self.year:
            raise ValueError("the period lies within its year")
        return self

    def api_body(self) -> dict:
        return self.model_dump(mode="json", exclude={"year"})


PROCESS_PREFIXES = ("REGISTRY", "CERTIFICATES", "CATALOG", "BILLING", "NOTIFICATIONS", "GATEWAY")
CALENDAR_USERS = ("CATALOG", "BILLING")


class Rules(BaseModel):
    """The region's rules: the same for every municipality of the installation."""

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
    # The contract documents' released templates (deploy/documents/<set>/<name>-v<N>.md.j2) and
    # the days a family has to dispute a debit, which the offer states.
    offer_template: str = Field(default="standard/offer-v1", pattern=TEMPLATE_NAME.pattern)
    termination_template: str = Field(default="standard/termination-v1", pattern=TEMPLATE_NAME.pattern)
    dispute_window_days: int = Field(default=30, ge=1)
    # the provider's days to answer a dispute before the payer's operator may decide alone
    dispute_answer_days: int = Field(default=10, ge=1)

    @field_validator("offer_template", "termination_template")
    @classmethod
    def _released(cls, name: str) -> str:
        try:
            TemplateShelf(DOCUMENTS).check(name)
        except TemplateProblem as problem:
            raise ValueError(str(problem)) from None
        return name

    def service_env(self) -> dict[str, str]:
        """The environment variables that carry these rules to the services."""
        days_off = json.dumps([d.isoformat() for d in self.extra_days_off])
        working = json.dumps([d.isoformat() for d in self.extra_working_days])
        env = {"CERTIFICATES_MIN_AGE": str(self.min_age), "CERTIFICATES_MAX_AGE": str(self.max_age),
               "CERTIFICATES_NUMBER_PREFIX": self.certificate_number_prefix,
               "BILLING_DELIVERED_RULE": self.delivered_rule, "BILLING_ADVANCE_PERCENT": str(self.advance_percent),
               "BILLING_OFFER_TEMPLATE": self.offer_template,
               "BILLING_TERMINATION_TEMPLATE": self.termination_template,
               "BILLING_DISPUTE_WINDOW_DAYS": str(self.dispute_window_days),
               "BILLING_DISPUTE_ANSWER_DAYS": str(self.dispute_answer_days),
               "CATALOG_OFFER_HOURS": str(self.offer_hours),
               "CATALOG_NORMATIVE_COEFFICIENT_PERMILLE": str(self.normative_coefficient_permille)}
        for prefix in CALENDAR_USERS:  # deadlines (catalog) and the advance window (billing) count working days
            env[f"{prefix}_EXTRA_DAYS_OFF"], env[f"{prefix}_EXTRA_WORKING_DAYS"] = days_off, working
        return env


class MunicipalityConfig(Municipality):
    """A municipality of the region, a payer (уполномоченный орган): who it is (what every
    process knows of it) and its own funding period (nominals, quota, budget cap, free limits)."""

    period: Period

    def entity(self) -> Municipality:
        return Municipality(code=self.code, name=self.name, oktmo=self.oktmo)


class RegionConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=r"^[a-z][a-z0-9-]{1,30}$")
    name: str = Field(min_length=1)
    timezone: str = "Europe/Moscow"
    rules: Rules
    municipalities: Annotated[list[MunicipalityConfig], Field(min_length=1), AfterValidator(check_unique)]

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name: Europe/Moscow)") from None
        return value

    @model_validator(mode="after")
    def _one_subject_of_the_federation(self) -> RegionConfig:
        oktmo = [m.oktmo for m in self.municipalities]
        if len(set(oktmo)) != len(oktmo):
            raise ValueError("OKTMO codes repeat")
        if len({code[:2] for code in oktmo}) != 1:  # the first two digits are the region's
            raise ValueError("the municipalities' OKTMO codes name different regions (their first two digits differ)")
        return self

    @property
    def entities(self) -> list[Municipality]:
        """The municipalities as the services know them (code, name, OKTMO)."""
        return [m.entity() for m in self.municipalities]

    def municipality(self, code: str) -> MunicipalityConfig:
        found = next((m for m in self.municipalities if m.code == code), None)
        if found is None:
            raise KeyError(f"{self.code} has no municipality {code!r}: {', '.join(m.code for m in self.municipalities)}")
        return found

    def service_env(self) -> dict[str, str]:
        """Everything the region's configuration tells the processes: its rules, its municipalities
        and its time zone."""
        municipalities = json.dumps([m.model_dump() for m in self.entities], ensure_ascii=False)
        return {**self.rules.service_env(), **{f"{p}_TIMEZONE": self.timezone for p in PROCESS_PREFIXES},
                **{f"{p}_MUNICIPALITIES": municipalities for p in PROCESS_PREFIXES}}

    def installation_env(self) -> dict[str, str]:
        """`service_env()` and the installation's code every process stamps on its events
        (`<PREFIX>_DISTRICT`): the whole environment a region gives compose (its env file)."""
        return {**{f"{p}_DISTRICT": self.code for p in PROCESS_PREFIXES}, **self.service_env()}


def load(path: str | Path) -> RegionConfig:
    return RegionConfig.model_validate(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def region(code: str) -> RegionConfig:
    """A shipped region by its code (`deploy/regions/<code>.yaml`)."""
    return load(REGIONS / f"{code}.yaml")
