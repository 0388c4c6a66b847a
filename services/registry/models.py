"""The registry's tables: providers, their venues, their payment agreements with payer
municipalities, and the history of every change."""
from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
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


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    full_name: Mapped[str] = mapped_column(Text, nullable=False)
    short_name: Mapped[str] = mapped_column(Text, nullable=False)
    inn: Mapped[str] = mapped_column(Text, nullable=False)
    ogrn: Mapped[str] = mapped_column(Text, nullable=False)
    kpp: Mapped[str | None] = mapped_column(Text)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    legal_address: Mapped[str] = mapped_column(Text, nullable=False)
    email: Mapped[str] = mapped_column(Text, nullable=False)
    phone: Mapped[str] = mapped_column(Text, nullable=False)
    teaches_alone: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    licence_number: Mapped[str | None] = mapped_column(Text)
    licence_date: Mapped[date | None] = mapped_column(Date)
    bank_bik: Mapped[str] = mapped_column(Text, nullable=False)
    bank_account: Mapped[str] = mapped_column(Text, nullable=False)
    submitted_by: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __table_args__ = (
        # A rejected application may be submitted again; anyone else in the registry once.
        Index("providers_inn_live", "inn", unique=True, postgresql_where=text("status <> 'rejected'")),
        Index("providers_listing", "municipality", "status", "created_at", "id"),
        CheckConstraint(
            "status IN ('submitted','approved','rejected','suspended','excluded')", name="providers_status_known"
        ),
        CheckConstraint(
            "kind IN ('municipal','state','private','individual_entrepreneur')", name="providers_kind_known"
        ),
    )


class Venue(Base):
    __tablename__ = "venues"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("providers.id"), index=True, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    address: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)


class PaymentAgreement(Base):
    """A provider's payment agreement (соглашение) with a payer municipality for a year: while
    active, that municipality's certificates pay the provider, up to `limit_kop` in the year
    (None: no limit). One per provider, payer and year; a change replaces its terms."""

    __tablename__ = "payment_agreements"

    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("providers.id"), primary_key=True)
    municipality: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(Text, nullable=False)
    signed_on: Mapped[date] = mapped_column(Date, nullable=False)
    limit_kop: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now(), nullable=False
    )

    __table_args__ = (
        CheckConstraint("limit_kop IS NULL OR limit_kop >= 0", name="payment_agreements_limit_not_negative"),
        # A payer's agreements of a year, across providers.
        Index("payment_agreements_payer", "municipality", "year"),
    )


class ProviderChange(Base):
    """Audit trail: who changed what, when and why. Append-only."""

    __tablename__ = "provider_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("providers.id"), index=True, nullable=False)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    actor: Mapped[str] = mapped_column(Text, nullable=False)
    action: Mapped[str] = mapped_column(Text, nullable=False)
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONB, nullable=False, default=dict)
    request_id: Mapped[str | None] = mapped_column(Text)
