"""Events published by services/billing that other services act on."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pfdo_events.catalog import Month
from pfdo_events.envelope import Event


class ContractSigned(Event):
    """The parent signed the contract offer: the child is enrolled."""

    event_type = "billing.contract.signed"
    event_version = 1

    contract_id: uuid.UUID  # equals the application's id
    certificate_id: uuid.UUID
    signed_on: date


class ContractTerminated(Event):
    event_type = "billing.contract.terminated"
    event_version = 1

    contract_id: uuid.UUID
    certificate_id: uuid.UUID
    terminated_on: date
    by: Literal["parent", "provider", "operator", "system"]


class Charge(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    charge_id: uuid.UUID
    contract_id: uuid.UUID
    certificate_id: uuid.UUID
    amount_kop: int = Field(gt=0)


class ChargesPosted(Event):
    """A batch of a month close's charges: each becomes a debit of its certificate."""

    event_type = "billing.charges.posted"
    event_version = 1

    batch_id: uuid.UUID
    month: Month
    charges: list[Charge] = Field(min_length=1, max_length=1000)
