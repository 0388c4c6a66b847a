"""Events published by services/certificates."""
from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pfdo_events.envelope import Event


class CertificateIssued(Event):
    """Carries what the catalog needs to take a family's application without calling back:
    whose child it is (the parent's account) and the birth date for the age rule."""

    event_type = "certificates.certificate.issued"
    event_version = 1

    certificate_id: uuid.UUID
    child_id: uuid.UUID
    owner: str
    birth_date: date
    number: str
    municipality: str


class CertificateActivated(Event):
    """The operator checked the family's documents: the certificate pays for applications from now on."""

    event_type = "certificates.certificate.activated"
    event_version = 1

    certificate_id: uuid.UUID
    child_id: uuid.UUID
    owner: str
    birth_date: date
    number: str
    municipality: str
    kind: str


class _CertificateNews(Event):
    """What a notice about a certificate's status needs: whose it is and which."""

    certificate_id: uuid.UUID
    child_id: uuid.UUID | None
    owner: str
    number: str
    municipality: str


class CertificateSuspended(_CertificateNews):
    """The operator suspended the certificate: new applications are not paid from it."""

    event_type = "certificates.certificate.suspended"
    event_version = 1

    reason: str | None = None


class CertificateReinstated(_CertificateNews):
    """A suspended certificate is active again."""

    event_type = "certificates.certificate.reinstated"
    event_version = 1


class CertificateClosed(Event):
    """Turned 18, moved away, or annulled as a duplicate: running contracts should end."""

    event_type = "certificates.certificate.closed"
    event_version = 1

    certificate_id: uuid.UUID
    child_id: uuid.UUID | None
    reason: Literal["turned_18", "moved", "duplicate"]
    expired_kop: int


class BalanceChanged(Event):
    """What the catalog needs to say «how will this be paid» without calling back: the money
    free to reserve and the free-program places left per register in the period."""

    event_type = "certificates.certificate.balance_changed"
    event_version = 1

    certificate_id: uuid.UUID
    status: str
    kind: Literal["accounting", "funded"] | None = None  # accounting: funded on its first certified enrollment
    available_kop: int
    period_year: int | None
    free_left: dict[str, int]


class BalancesChanged(Event):
    """Many certificates' news at once (a batch of debits): one message instead of a thousand."""

    event_type = "certificates.certificate.balances_changed"
    event_version = 1

    balances: list[BalanceChanged] = Field(min_length=1, max_length=1000)


ReservationFailure = Literal[
    "certificate_unknown", "certificate_inactive", "no_open_period", "quota_exhausted", "budget_exhausted",
    "free_limit_reached", "insufficient_funds", "no_agreement", "agreement_limit_reached",
]


class AgreementUsageChanged(Event):
    """How much of a provider × payer × year agreement's limit the certificates hold or have paid
    (reserved and not released, plus debited): what the catalog's payment check compares against."""

    event_type = "certificates.agreement.usage_changed"
    event_version = 1

    provider_id: uuid.UUID
    municipality: str
    year: int
    limit_kop: int | None
    used_kop: int


class FundsReserved(Event):
    """The contract's money is held on the certificate (the reply to billing's reservation request)."""

    event_type = "certificates.funds.reserved"
    event_version = 1

    application_id: uuid.UUID
    certificate_id: uuid.UUID
    amount_kop: int
    certificate_kind: Literal["accounting", "funded"]
    owner: str | None = None  # the child's parent account, whom notifications tell
    # Who the contract is for, as its offer names them (None in events from before contract documents).
    certificate_number: str | None = None
    child_full_name: str | None = None
    child_birth_date: date | None = None
    # What the catalog's copies learn from the hold, in this one message instead of two more: the
    # certificate's balance after it, and the agreement's usage with it (None: the hold moved no
    # agreement, or the event is from before these fields).
    balance: BalanceChanged | None = None
    agreement_usage: AgreementUsageChanged | None = None


class FundsReservationFailed(Event):
    """The certificate could not hold the contract's money (not enough, not active): the contract is not offered."""

    event_type = "certificates.funds.reservation_failed"
    event_version = 1

    application_id: uuid.UUID
    certificate_id: uuid.UUID
    reason: ReservationFailure
    reason_ru: str
    owner: str | None = None  # the child's parent account, whom notifications tell


class FundsReleased(Event):
    """A terminated contract's later months are no longer held on the certificate."""

    event_type = "certificates.funds.released"
    event_version = 1

    contract_id: uuid.UUID
    certificate_id: uuid.UUID
    amount_kop: int


class DebitResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    charge_id: uuid.UUID
    contract_id: uuid.UUID
    debited_kop: int
    shortfall_kop: int  # what the charge asked beyond what the contract still held
    released_kop: int = 0  # a final charge: what the contract held after it, now free again
    owner: str | None = None  # the child's parent account, whom notifications tell of the debit


class FundsDebited(Event):
    """The month close's charges were debited from the certificates (one result per contract)."""

    event_type = "certificates.funds.debited"
    event_version = 1

    batch_id: uuid.UUID
    month: str
    results: list[DebitResult]


class FundsReversed(Event):
    """A reversal is on the certificate's ledger: the money is available to the family again."""

    event_type = "certificates.funds.reversed"
    event_version = 1

    reversal_id: uuid.UUID
    certificate_id: uuid.UUID
    contract_id: uuid.UUID
    amount_kop: int
    owner: str | None = None  # the family account, when the certificate has one
