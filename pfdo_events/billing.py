"""Events published by services/billing that other services act on."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pfdo_events.catalog import Month
from pfdo_events.envelope import Event


class ContractOffered(Event):
    """The money is reserved: the contract offer awaits the family's signature."""

    event_type = "billing.contract.offered"
    event_version = 1

    contract_id: uuid.UUID  # equals the application's id
    number: str
    certificate_id: uuid.UUID
    owner: str
    reserved_kop: int
    # What the family's notice names (optional: publishers from before notifications omit them).
    program_title: str | None = None
    provider_name: str | None = None


class ContractSigned(Event):
    """The parent signed the contract offer: the child is enrolled."""

    event_type = "billing.contract.signed"
    event_version = 1

    contract_id: uuid.UUID  # equals the application's id
    certificate_id: uuid.UUID
    signed_on: date
    # Whom to tell and what to name (optional: publishers from before notifications omit them).
    owner: str | None = None
    number: str | None = None
    program_title: str | None = None


class ContractTerminated(Event):
    """The contract ends on `terminated_on` (or never started). Certificates releases what the
    contract holds beyond `keep_kop`: the shares of months up to the end that are not charged
    yet. The contract's last charge (`final`) releases whatever is left after it."""

    event_type = "billing.contract.terminated"
    event_version = 1

    contract_id: uuid.UUID
    certificate_id: uuid.UUID
    terminated_on: date
    by: Literal["parent", "provider", "operator", "system"]
    keep_kop: int = Field(default=0, ge=0)
    # Whom to tell and what to name (optional: publishers from before notifications omit them).
    owner: str | None = None
    number: str | None = None
    program_title: str | None = None
    reason: str | None = None
    was_signed: bool | None = None  # False: an offer withdrawn before signing, nobody is told


class Charge(BaseModel):
    """One contract's charge for a month: debit `amount_kop`, then release `release_kop` (the
    part of the month's share that was not delivered). A `final` charge is the contract's
    last: after it certificates releases whatever the contract still holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    charge_id: uuid.UUID
    contract_id: uuid.UUID
    certificate_id: uuid.UUID
    amount_kop: int = Field(ge=0)
    release_kop: int = Field(default=0, ge=0)
    final: bool = False

    @model_validator(mode="after")
    def _something_to_do(self) -> "Charge":
        if self.amount_kop == 0 and self.release_kop == 0 and not self.final:
            raise ValueError("a charge moves money: a debit, a release, or the contract's final release")
        return self


class ChargesPosted(Event):
    """A batch of a month close's charges: each becomes a debit of its certificate."""

    event_type = "billing.charges.posted"
    event_version = 1

    batch_id: uuid.UUID
    month: Month
    charges: list[Charge] = Field(min_length=1, max_length=1000)


class InvoiceIssued(Event):
    """A provider's invoice to a payer for a closed month (счёт): what the payer pays, or carries."""

    event_type = "billing.invoice.issued"
    event_version = 1

    invoice_id: uuid.UUID
    number: str
    provider_id: uuid.UUID
    month: Month
    charges_kop: int
    advance_kop: int
    carried_in_kop: int
    settlement_kop: int
    # The payer municipality the invoice is to (None: from before regions, the district's).
    payer: str | None = None
    # Reversals of earlier debits (disputes) this invoice gives back: settlement = charges − advance
    # + carried in − corrections.
    corrections_kop: int = 0


class AdvanceGranted(Event):
    """A provider's advance (аванс) for a month was granted; the month's invoice subtracts it."""

    event_type = "billing.advance.granted"
    event_version = 1

    advance_id: uuid.UUID
    provider_id: uuid.UUID
    month: Month
    amount_kop: int = Field(gt=0)
    limit_kop: int = Field(ge=0)


class MonthClosed(Event):
    """Every charge of a payer's month is confirmed by certificates and every invoice issued."""

    event_type = "billing.month.closed"
    event_version = 1

    month: Month
    charges_kop: int
    invoices: int
    # The payer municipality whose month it is (None: from before regions, the whole district's).
    municipality: str | None = None


DisputeStatus = Literal["awaiting_provider", "awaiting_operator", "resolved", "withdrawn"]


class _DisputeNews(Event):
    """A step of a family's dispute of a debit: whose it is, which debit, where it stands now."""

    dispute_id: uuid.UUID
    charge_id: uuid.UUID
    contract_id: uuid.UUID
    contract_number: str
    program_title: str
    month: Month  # the disputed debit's month
    owner: str  # the family account: it hears of every step
    provider_id: uuid.UUID
    payer: str  # whose operator decides what the provider does not give back
    status: DisputeStatus
    debited_kop: int
    reversed_kop: int  # given back by the dispute so far
    actor: str
    comment: str | None = None


class DisputeOpened(_DisputeNews):
    """A family disputed a debit: the provider must answer by `answer_due`."""

    event_type = "billing.dispute.opened"
    event_version = 1

    answer_due: date


class DisputeAnswered(_DisputeNews):
    """The provider answered a dispute: agreed in full (resolved), in part or not at all (the
    rest goes to the payer's operator)."""

    event_type = "billing.dispute.answered"
    event_version = 1

    answer: Literal["agree_full", "agree_part", "disagree"]
    reversal_kop: int  # what this answer gives back


class DisputeDecided(_DisputeNews):
    """The payer's operator decided what was still open: the dispute is resolved."""

    event_type = "billing.dispute.decided"
    event_version = 1

    reversal_kop: int  # what this decision gives back


class DisputeWithdrawn(_DisputeNews):
    """The family withdrew its dispute; what was given back stays given back."""

    event_type = "billing.dispute.withdrawn"
    event_version = 1


class DebitReversed(Event):
    """A dispute gives money back: certificates posts a `reversal` entry (never above the debit)
    and answers with certificates.funds.reversed; the provider's next invoice carries the correction."""

    event_type = "billing.debit.reversed"
    event_version = 1

    reversal_id: uuid.UUID
    dispute_id: uuid.UUID
    charge_id: uuid.UUID
    contract_id: uuid.UUID
    certificate_id: uuid.UUID
    month: Month  # the reversed debit's month: the ledger entry names it
    amount_kop: int = Field(gt=0)
