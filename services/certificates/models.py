"""The certificates service's tables. Balances live on the certificate row, guarded by
CHECK constraints; every movement is also an append-only ledger entry naming its cause."""
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
    Identity,
    Integer,
    Index,
    Sequence,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pfdo_kit.messaging_tables import messaging_tables


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
messaging = messaging_tables(metadata)


class Child(Base):
    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    owner: Mapped[str] = mapped_column(Text, index=True, nullable=False)  # the parent's account
    full_name: Mapped[str] = mapped_column(Text, nullable=False)
    birth_date: Mapped[date] = mapped_column(Date, nullable=False)
    snils: Mapped[str] = mapped_column(Text, nullable=False)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    ovz: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

    __table_args__ = (
        UniqueConstraint("snils", name="children_snils_once"),
        Index("children_name_birth_once", text("lower(full_name)"), "birth_date", unique=True),
    )


# Serial part of certificate numbers; gaps are harmless, repeats impossible.
CERTIFICATE_SERIAL = Sequence("certificate_serial", start=1, metadata=metadata)


class Certificate(Base):
    __tablename__ = "certificates"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("children.id"), unique=True)
    number: Mapped[str] = mapped_column(Text, unique=True, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, default="pending_verification")
    kind: Mapped[str] = mapped_column(Text, nullable=False, default="accounting")
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    credited_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    expired_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    held_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    debited_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    reversed_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("held_kop >= 0", name="certificates_held_not_negative"),
        CheckConstraint(
            "credited_kop - expired_kop - held_kop - debited_kop + reversed_kop >= 0",
            name="certificates_available_not_negative",
        ),
        CheckConstraint("reversed_kop <= debited_kop", name="certificates_reversal_within_debits"),
        CheckConstraint("status IN ('pending_verification','active','suspended','closed')",
                        name="certificates_status_known"),
        CheckConstraint("kind IN ('accounting','funded')", name="certificates_kind_known"),
    )


class LedgerEntry(Base):
    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    amount_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    cause: Mapped[str] = mapped_column(Text, nullable=False)
    contract_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    month: Mapped[str | None] = mapped_column(Text)  # the billing month a debit or final release is for
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

    __table_args__ = (
        CheckConstraint("amount_kop > 0", name="ledger_amount_positive"),
        CheckConstraint("kind IN ('credit','expire','reserve','release','debit','reversal')",
                        name="ledger_kind_known"),
        # One cause moves money once: a repeated request or event finds its entry.
        UniqueConstraint("certificate_id", "kind", "cause", name="ledger_one_entry_per_cause"),
        Index("ledger_entries_by_month", "month", postgresql_where=text("month IS NOT NULL")),
    )


class Reservation(Base):
    """Money held for one contract: debits and releases never exceed it. A contract's money is of
    one period's year, paid by the certificate's municipality to the provider under their
    agreement (`provider_id`, `payer`, `period_year`: its usage moves with the hold). Reservations
    made before agreements name no provider and count against none."""

    __tablename__ = "reservations"

    contract_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"), index=True, nullable=False)
    held_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    debited_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    period_year: Mapped[int | None] = mapped_column(Integer)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    payer: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("held_kop >= 0 AND debited_kop >= 0", name="reservations_not_negative"),
    )


class FundingPeriod(Base):
    """A municipality's parameters for one year; `open` credits its certificates, `close` expires
    what is left of the period's own money on them."""

    __tablename__ = "funding_periods"

    municipality: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    nominals: Mapped[list] = mapped_column(JSONB, nullable=False)
    funded_quota: Mapped[int] = mapped_column(Integer, nullable=False)
    free_limits: Mapped[dict] = mapped_column(JSONB, nullable=False)
    budget_cap_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, default="draft")

    __table_args__ = (
        CheckConstraint("status IN ('draft','open','closed')", name="funding_periods_status_known"),
        CheckConstraint("starts_on <= ends_on", name="funding_periods_dates_ordered"),
    )


class FreeEnrollment(Base):
    """A place in a free budget program, counted against the period's limit per register."""

    __tablename__ = "free_enrollments"

    application_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"), nullable=False)
    period_year: Mapped[int] = mapped_column(Integer, nullable=False)
    program_register: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (Index("free_enrollments_count", "certificate_id", "period_year", "program_register"),)


class Agreement(Base):
    """A provider's payment agreement (соглашение) with a payer municipality for a year, as the
    registry's events tell it, and what the certificates use of it: held (reserved, not released)
    plus debited for that provider, payer and year. A reservation takes from `used_kop` under this
    row's lock, so concurrent reservations never pass `limit_kop` (None: no limit)."""

    __tablename__ = "agreements"

    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    municipality: Mapped[str] = mapped_column(Text, primary_key=True)  # the payer
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    number: Mapped[str] = mapped_column(Text, nullable=False)
    signed_on: Mapped[date] = mapped_column(Date, nullable=False)
    limit_kop: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    used_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)  # an older event is ignored

    __table_args__ = (
        CheckConstraint("used_kop >= 0", name="agreements_used_not_negative"),
        CheckConstraint("limit_kop IS NULL OR limit_kop >= 0", name="agreements_limit_not_negative"),
    )


class ProviderAccess(Base):
    """A provider may read a certificate once the child applied to it (learned from catalog)."""

    __tablename__ = "provider_access"

    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    certificate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)


class Run(Base):
    """A long run asked for by the staff (open or close a municipality's period, close adults'
    certificates), worked batch by batch by jobs/runs.py. Each batch commits its entries and
    the run's progress together, so a run resumes exactly where a dead process left it."""

    __tablename__ = "runs"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    period_year: Mapped[int | None] = mapped_column(Integer)
    # the period's municipality; close_adults: of one municipality, or None: all
    municipality: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(Text, nullable=False)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    after_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # the last certificate done
    processed: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    total: Mapped[int | None] = mapped_column(Integer)  # counted when the run starts
    moved_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # certificates credited/expired/closed
    moved_kop: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)  # kopecks credited or expired
    stopped_at_budget: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)  # failed attempts of the current batch
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("kind IN ('period_open','period_close','close_adults')", name="runs_kind_known"),
        CheckConstraint("status IN ('queued','running','done','failed')", name="runs_status_known"),
        # Asking again while a run of the same kind and scope is unfinished answers that run.
        Index("runs_one_unfinished", "kind", text("coalesce(period_year, 0)"), text("coalesce(municipality, '')"),
              unique=True, postgresql_where=text("status IN ('queued','running')")),
    )
