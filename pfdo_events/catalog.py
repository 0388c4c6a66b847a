"""Events published by services/catalog that other services act on."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pfdo_events.envelope import Event

# YYYY-MM of this century: year 0000 or 9999-12 have no first or next day to compute with.
Month = Annotated[str, StringConstraints(pattern=r"^20\d{2}-(0[1-9]|1[0-2])$")]
# certified: paid by the certificate; significant/preprofessional/other: free budget programs;
# family: paid by the family, the certificate is not touched.
Register = Literal["certified", "significant", "preprofessional", "other", "family"]
# The budget registers: free programs, limited by a count per certificate and period.
FreeRegister = Literal["significant", "preprofessional", "other"]
FREE_REGISTERS: tuple[FreeRegister, ...] = ("significant", "preprofessional", "other")


class MonthlyShare(BaseModel):
    """What one month of the contract costs: the certificate's part and the family's."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    month: Month
    certificate_kop: int = Field(ge=0)
    copay_kop: int = Field(ge=0)
    planned_lessons: int = Field(ge=0)


class Lesson(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    weekday: int = Field(ge=0, le=6)  # 0 = Monday
    starts_at: Annotated[str, StringConstraints(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]
    minutes: int = Field(gt=0, le=480)


class ApplicationSubmitted(Event):
    """A family applied to a provider's group: the provider may now look at that certificate."""

    event_type = "catalog.application.submitted"
    event_version = 1

    application_id: uuid.UUID
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    provider_id: uuid.UUID
    group_id: uuid.UUID
    # What the provider's notice needs (optional: publishers from before notifications omit them).
    owner: str | None = None
    program_title: str | None = None
    decide_by: date | None = None  # the last day the provider may decide (working days counted)


class ApplicationAccepted(Event):
    """The provider accepted; certificates reserves the money, billing drafts the contract.
    The contract's id is the application's id."""

    event_type = "catalog.application.accepted"
    event_version = 1

    application_id: uuid.UUID
    child_id: uuid.UUID
    certificate_id: uuid.UUID
    owner: str  # the account that applied: only it may sign the contract
    municipality: str  # the program's (where it is taught)
    provider_id: uuid.UUID
    provider_name: str
    program_id: uuid.UUID
    program_title: str
    group_id: uuid.UUID
    program_register: Register
    period_year: int
    starts_on: date
    ends_on: date
    months: list[MonthlyShare] = Field(max_length=24)
    weekly_schedule: list[Lesson] = Field(max_length=50)
    # The payer: the certificate's municipality, whose budget pays and whose agreement with the
    # provider must cover the enrollment. None in events from before regions: the certificate's own.
    payer: str | None = None
    # The group as the contract names it (its module and teacher) and where it meets; None in
    # events from before contract documents.
    group_name: str | None = None
    venue: str | None = None

    @property
    def certificate_total_kop(self) -> int:
        return sum(m.certificate_kop for m in self.months)


class ApplicationCancelled(Event):
    """The family withdrew before enrolling: a drafted contract and reserved money must go."""

    event_type = "catalog.application.cancelled"
    event_version = 1

    application_id: uuid.UUID
    certificate_id: uuid.UUID
    was_accepted: bool
    # Whom to tell (optional: publishers from before notifications omit them).
    owner: str | None = None
    provider_id: uuid.UUID | None = None
    program_title: str | None = None


class _ApplicationNews(Event):
    """What a notice about an application needs: whose it is, whose group, which program."""

    application_id: uuid.UUID
    certificate_id: uuid.UUID
    owner: str
    provider_id: uuid.UUID
    program_title: str


class ApplicationRejected(_ApplicationNews):
    """The provider refused the application (not a refusal of the money: that one is
    certificates' FundsReservationFailed)."""

    event_type = "catalog.application.rejected"
    event_version = 1

    reason: str


class ApplicationWaitlisted(_ApplicationNews):
    """Accepted into a full group: the application waits for a seat in the group's queue."""

    event_type = "catalog.application.waitlisted"
    event_version = 1


class SeatOffered(_ApplicationNews):
    """A seat freed and passed to this waiting application: the family confirms before `offered_until`."""

    event_type = "catalog.application.seat_offered"
    event_version = 1

    offered_until: datetime


class ApplicationExpired(_ApplicationNews):
    """Time ran out: the family did not confirm an offered seat, or the provider did not decide."""

    event_type = "catalog.application.expired"
    event_version = 1

    reason: Literal["offer_not_confirmed", "not_decided"]
