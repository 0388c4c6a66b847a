"""The billing service's tables: contracts with their monthly schedule and their documents (the
signed offer, the termination notice), attendance and its history, month closes with their
charges (per month and payer municipality), advances with their parts per payer, invoices (per
provider, payer and month), the families' disputes of debits with their history and reversals,
copies of providers, of their payment agreements and of accounts."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Sequence,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pfdo_kit.idempotency import idempotency_table
from pfdo_kit.messaging_tables import messaging_tables


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
messaging = messaging_tables(metadata)
idempotency_keys = idempotency_table(metadata)

CONTRACT_SERIAL = Sequence("contract_serial", start=1, metadata=metadata)
INVOICE_SERIAL = Sequence("invoice_serial", start=1, metadata=metadata)


class Contract(Base):
    """The contract offer (договор-оферта) for one accepted application; its id is the application's.

    draft → offered (money reserved) → signed → terminated; draft/offered → void (never signed).
    `reserved_kop − released_kop − charged_kop` is what certificates still holds for it.
    """

    __tablename__ = "contracts"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    number: Mapped[str] = mapped_column(Text, unique=True, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, default="draft")
    owner: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)  # the program's (where it is taught)
    # The payer: the certificate's municipality, whose month close charges the contract and whose
    # agreement with the provider covers it; the year of its money is `period_year`.
    payer: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    period_year: Mapped[int] = mapped_column(Integer, nullable=False)
    child_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    certificate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    provider_name: Mapped[str] = mapped_column(Text, nullable=False)
    program_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    program_title: Mapped[str] = mapped_column(Text, nullable=False)
    group_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    program_register: Mapped[str] = mapped_column(Text, nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    weekly_schedule: Mapped[list] = mapped_column(JSONB, nullable=False)
    first_month: Mapped[str | None] = mapped_column(Text)
    last_month: Mapped[str | None] = mapped_column(Text)  # moves earlier when terminated
    reserved_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")
    released_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")
    charged_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")  # debited or still in flight
    closed_out: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="false")  # its final charge is issued
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_by: Mapped[str | None] = mapped_column(Text)
    terminated_on: Mapped[date | None] = mapped_column(Date)
    terminated_by: Mapped[str | None] = mapped_column(Text)
    end_reason: Mapped[str | None] = mapped_column(Text)
    # Who the contract is for and where the group meets, as the offer names them: from the
    # reservation's and the acceptance's events (null: a contract from before contract documents).
    certificate_number: Mapped[str | None] = mapped_column(Text)
    child_full_name: Mapped[str | None] = mapped_column(Text)
    child_birth_date: Mapped[date | None] = mapped_column(Date)
    group_name: Mapped[str | None] = mapped_column(Text)
    venue: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now(), nullable=False)

    __table_args__ = (
        CheckConstraint("status IN ('draft','offered','signed','terminated','void')", name="contracts_status_known"),
        CheckConstraint("reserved_kop >= 0 AND released_kop >= 0 AND charged_kop >= 0",
                        name="contracts_money_not_negative"),
        CheckConstraint("released_kop + charged_kop <= reserved_kop", name="contracts_within_reservation"),
        Index("contracts_billable", "last_month", postgresql_where=text("signed_on IS NOT NULL AND NOT closed_out")),
        {"postgresql_with": {"fillfactor": 50}},  # room for each month's update on the same page (migration 0002)
    )


class ContractDocument(Base):
    """A contract's document as it was made, never rewritten: the offer the family signed (with the
    moment and the account that signed), the notice of its termination (with who ended it). One of
    each kind per contract; served again byte for byte, `sha256` names the bytes."""

    __tablename__ = "contract_documents"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    template: Mapped[str] = mapped_column(Text, nullable=False)  # kbr/offer-v1
    sha256: Mapped[str] = mapped_column(Text, nullable=False)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)  # when it was stored
    actor: Mapped[str] = mapped_column(Text, nullable=False)  # who signed (offer) or ended the contract (notice)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("contract_id", "kind", name="contract_documents_one_per_kind"),
        CheckConstraint("kind IN ('offer','termination')", name="contract_documents_kind_known"),
        CheckConstraint("size = octet_length(pdf) AND sha256 ~ '^[0-9a-f]{64}$'", name="contract_documents_intact"),
        CheckConstraint("(kind = 'offer') = (signed_at IS NOT NULL)", name="contract_documents_offer_signed"),
    )


class OfferRendering(Base):
    """The unsigned offer's PDF as last rendered, kept so it is rendered once for a given content:
    `fingerprint` names every input of the rendering (the markup, template, title, creation moment
    and the renderer's code and font), so a changed input misses it and renders anew. One row per
    contract, replaced when the offer reads differently; dropped by the pre-rendering job once the
    contract is no longer offered (the signed offer is stored in `contract_documents`)."""

    __tablename__ = "offer_renderings"

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(Text, nullable=False)
    template: Mapped[str] = mapped_column(Text, nullable=False)
    sha256: Mapped[str] = mapped_column(Text, nullable=False)
    pdf: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    rendered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        CheckConstraint("sha256 ~ '^[0-9a-f]{64}$' AND fingerprint ~ '^[0-9a-f]{64}$'",
                        name="offer_renderings_hashes"),
    )


class OfferRenderDue(Base):
    """An offered contract whose offer the pre-rendering job (jobs/offer_renderer.py) should have
    ready: queued when the contract is offered and when its parties' data changes. `seq` orders the
    queue and tells a re-queued row from the one a job claimed; `claimed_until` is the claim's lease."""

    __tablename__ = "offer_renders_due"

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(always=False), nullable=False)
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("offer_renders_due_by_seq", "seq"),)


class ContractMonth(Base):
    """The contract's schedule: each month's certificate share, family co-payment and planned lessons."""

    __tablename__ = "contract_months"

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    month: Mapped[str] = mapped_column(Text, primary_key=True)
    certificate_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    copay_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    planned_lessons: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (Index("contract_months_by_month", "month"),)


class ReservationOutcome(Base):
    """What certificates answered for an application; kept because the answer may arrive
    before the acceptance that drafts the contract."""

    __tablename__ = "reservation_outcomes"

    application_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    reserved: Mapped[bool] = mapped_column(Boolean, nullable=False)
    amount_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    reason: Mapped[str | None] = mapped_column(Text)
    certificate_number: Mapped[str | None] = mapped_column(Text)
    child_full_name: Mapped[str | None] = mapped_column(Text)
    child_birth_date: Mapped[date | None] = mapped_column(Date)


class Attendance(Base):
    """The current mark for a child (by contract) on a lesson date."""

    __tablename__ = "attendance"

    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), primary_key=True)
    lesson_date: Mapped[date] = mapped_column(Date, primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False)
    group_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    marked_by: Mapped[str] = mapped_column(Text, nullable=False)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")

    __table_args__ = (Index("attendance_by_group_date", "group_id", "lesson_date"),)


class AttendanceChange(Base):
    """Every mark and correction, never rewritten."""

    __tablename__ = "attendance_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    contract_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    lesson_date: Mapped[date] = mapped_column(Date, nullable=False)
    present: Mapped[bool] = mapped_column(Boolean, nullable=False)
    was_present: Mapped[bool | None] = mapped_column(Boolean)
    marked_by: Mapped[str] = mapped_column(Text, nullable=False)
    request_id: Mapped[str | None] = mapped_column(Text)
    marked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class MonthClose(Base):
    """One payer's month close: charging → posting → posted → closed (every debit confirmed,
    invoices issued). Each payer municipality closes its own month, charging only its contracts."""

    __tablename__ = "month_closes"

    month: Mapped[str] = mapped_column(Text, primary_key=True)
    municipality: Mapped[str] = mapped_column(Text, primary_key=True)  # the payer
    status: Mapped[str] = mapped_column(Text, nullable=False, default="charging")
    rule: Mapped[str] = mapped_column(Text, nullable=False)
    requested_by: Mapped[str] = mapped_column(Text, nullable=False)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    charges_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    charges_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")
    batches_posted: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    confirmed_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    invoices_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('charging','posting','posted','closed')", name="month_closes_status_known"),
    )


class ChargeRow(Base):
    """A contract's charge for a month, as computed at close and as certificates confirmed it.
    Every contract holding a share for the month gets one: what was delivered is debited, the
    rest of the share released, so what stays reserved is the shares of months to come."""

    __tablename__ = "charges"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()"))
    month: Mapped[str] = mapped_column(Text, nullable=False)
    payer: Mapped[str] = mapped_column(Text, nullable=False)  # the contract's: whose close made the charge
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), nullable=False)
    certificate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    share_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    planned_lessons: Mapped[int] = mapped_column(Integer, nullable=False)
    attended_lessons: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    release_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)  # the month's undelivered share
    final: Mapped[bool] = mapped_column(Boolean, nullable=False)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    debited_kop: Mapped[int | None] = mapped_column(BigInteger)
    shortfall_kop: Mapped[int | None] = mapped_column(BigInteger)
    released_kop: Mapped[int | None] = mapped_column(BigInteger)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        ForeignKeyConstraint(["month", "payer"], ["month_closes.month", "month_closes.municipality"],
                             name="charges_month_close_fkey"),
        UniqueConstraint("contract_id", "month", name="charges_one_per_contract_month"),
        CheckConstraint("amount_kop >= 0 AND release_kop >= 0 AND (amount_kop > 0 OR release_kop > 0 OR final)",
                        name="charges_something_to_do"),
        CheckConstraint("debited_kop IS NULL OR debited_kop <= amount_kop", name="charges_debit_within_charge"),
        Index("charges_unposted", "month", "payer", "id", postgresql_where=text("batch_id IS NULL")),
        Index("charges_unconfirmed", "month", "payer", postgresql_where=text("confirmed_at IS NULL")),
        Index("charges_by_provider_month", "provider_id", "month"),
    )


class Advance(Base):
    """An advance (аванс) a provider took for a month; at most one per provider and month. Its
    parts say which payer pays what share of it (each payer's invoice subtracts its part)."""

    __tablename__ = "advances"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    month: Mapped[str] = mapped_column(Text, nullable=False)
    amount_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    limit_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    requested_by: Mapped[str] = mapped_column(Text, nullable=False)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

    __table_args__ = (
        UniqueConstraint("provider_id", "month", name="advances_once_per_month"),
        CheckConstraint("amount_kop > 0 AND amount_kop <= limit_kop", name="advances_within_limit"),
    )


class AdvancePart(Base):
    """A payer's part of an advance: the payer's limit (the percentage of its contracts' planned
    shares) and the amount it pays, the advance split in proportion to the limits to the kopeck."""

    __tablename__ = "advance_parts"

    advance_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("advances.id"), primary_key=True)
    payer: Mapped[str] = mapped_column(Text, primary_key=True)
    amount_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    limit_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (
        CheckConstraint("amount_kop >= 0 AND amount_kop <= limit_kop", name="advance_parts_within_limit"),
        Index("advance_parts_by_payer", "payer"),
    )


class Invoice(Base):
    """A provider's invoice (счёт) to one payer for a closed month; its lines are the month's
    charges of that payer's contracts."""

    __tablename__ = "invoices"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()"))
    number: Mapped[str] = mapped_column(Text, unique=True, nullable=False)
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    provider_name: Mapped[str] = mapped_column(Text, nullable=False)
    payer: Mapped[str] = mapped_column(Text, nullable=False)
    month: Mapped[str] = mapped_column(Text, nullable=False)
    charges_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    advance_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    carried_in_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    # Reversals of earlier debits (disputes) this invoice gives back to the payer (≥ 0).
    corrections_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")
    settlement_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

    __table_args__ = (
        ForeignKeyConstraint(["month", "payer"], ["month_closes.month", "month_closes.municipality"],
                             name="invoices_month_close_fkey"),
        UniqueConstraint("provider_id", "payer", "month", name="invoices_once_per_provider_payer_month"),
        CheckConstraint("carried_in_kop <= 0", name="invoices_carry_in_is_owed"),
        CheckConstraint("corrections_kop >= 0", name="invoices_corrections_not_negative"),
        CheckConstraint("settlement_kop = charges_kop - advance_kop + carried_in_kop - corrections_kop",
                        name="invoices_settlement_adds_up"),
        Index("invoices_by_payer_month", "payer", "month"),
    )


class ProviderCopy(Base):
    """What billing knows of a provider, from the registry's events (newest wins)."""

    __tablename__ = "providers_copy"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    short_name: Mapped[str] = mapped_column(Text, nullable=False)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    has_payment_agreement: Mapped[bool] = mapped_column(Boolean, nullable=False)
    requisites: Mapped[dict | None] = mapped_column(JSONB)  # what the offer names the provider by; null: not told yet
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AgreementCopy(Base):
    """What billing knows of a provider's payment agreement (соглашение) with a payer for a year,
    from the registry's events (the newest wins): an advance counts only payers with an active one."""

    __tablename__ = "agreements_copy"

    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    municipality: Mapped[str] = mapped_column(Text, primary_key=True)  # the payer
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    limit_kop: Mapped[int | None] = mapped_column(BigInteger)
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Dispute(Base):
    """A family's dispute of one debit (a confirmed charge): at most one per debit. `reversed_kop`
    is what its steps gave back so far, never more than the debit."""

    __tablename__ = "disputes"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    charge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("charges.id"), nullable=False, unique=True)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), nullable=False, index=True)
    owner: Mapped[str] = mapped_column(Text, nullable=False, index=True)  # the contract's family account
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    payer: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    month: Mapped[str] = mapped_column(Text, nullable=False)  # the debit's month
    debited_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    reversed_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0, server_default="0")
    status: Mapped[str] = mapped_column(Text, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    opened_by: Mapped[str] = mapped_column(Text, nullable=False)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    answer_due: Mapped[date] = mapped_column(Date, nullable=False)
    provider_answer: Mapped[str | None] = mapped_column(Text)
    provider_comment: Mapped[str | None] = mapped_column(Text)
    answered_by: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_comment: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('awaiting_provider','awaiting_operator','resolved','withdrawn')",
                        name="disputes_status_known"),
        CheckConstraint("provider_answer IS NULL OR provider_answer IN ('agree_full','agree_part','disagree')",
                        name="disputes_answer_known"),
        CheckConstraint("reversed_kop >= 0 AND reversed_kop <= debited_kop", name="disputes_reversal_within_debit"),
        Index("disputes_open_by_payer", "payer", "status",
              postgresql_where=text("status IN ('awaiting_provider','awaiting_operator')")),
    )


class DisputeHistory(Base):
    """Every step of a dispute: who, when, what and why, never rewritten."""

    __tablename__ = "dispute_history"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    dispute_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("disputes.id"), nullable=False, index=True)
    step: Mapped[str] = mapped_column(Text, nullable=False)
    actor: Mapped[str] = mapped_column(Text, nullable=False)
    role: Mapped[str] = mapped_column(Text, nullable=False)
    comment: Mapped[str | None] = mapped_column(Text)
    amount_kop: Mapped[int | None] = mapped_column(BigInteger)  # what the step gave back
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Reversal(Base):
    """Money a dispute gives back: a `reversal` entry on the certificate (once certificates
    confirms it), and a correction on the provider's next invoice to the payer. At most one per
    dispute and stage (the provider's agreement, the operator's decision)."""

    __tablename__ = "reversals"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    dispute_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("disputes.id"), nullable=False)
    stage: Mapped[str] = mapped_column(Text, nullable=False)
    charge_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("charges.id"), nullable=False, index=True)
    contract_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contracts.id"), nullable=False)
    certificate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    payer: Mapped[str] = mapped_column(Text, nullable=False)
    month: Mapped[str] = mapped_column(Text, nullable=False)  # the reversed debit's month
    amount_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # on the certificate's ledger
    invoice_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("invoices.id"))  # the invoice that corrected it

    __table_args__ = (
        UniqueConstraint("dispute_id", "stage", name="reversals_once_per_stage"),
        CheckConstraint("stage IN ('provider','operator')", name="reversals_stage_known"),
        CheckConstraint("amount_kop > 0", name="reversals_amount_positive"),
        Index("reversals_to_invoice", "payer", "provider_id",
              postgresql_where=text("confirmed_at IS NOT NULL AND invoice_id IS NULL")),
    )


class AccountCopy(Base):
    """Whom a contract's offer names as the family: the gateway's account events (the newest wins)."""

    __tablename__ = "accounts_copy"

    subject: Mapped[str] = mapped_column(Text, primary_key=True)  # the contract's `owner`
    email: Mapped[str] = mapped_column(Text, nullable=False)
    full_name: Mapped[str | None] = mapped_column(Text)
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
