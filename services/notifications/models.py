"""The notifications' tables: whom to reach (contacts, preferences), what was said (notifications,
the feed), the mail on its way (deliveries), and what the service keeps of other services' facts
to remind and to sum up (enrollments, pending checks, job runs)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pfdo_kit.messaging_tables import messaging_tables


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
messaging = messaging_tables(metadata)


class Contact(Base):
    """What the gateway's account events tell: the address and whose provider or municipality."""

    __tablename__ = "contacts"

    subject: Mapped[str] = mapped_column(Text, primary_key=True)
    email: Mapped[str] = mapped_column(Text, nullable=False)
    role: Mapped[str] = mapped_column(Text, nullable=False)
    municipality: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    full_name: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)  # the newest event wins

    __table_args__ = (
        Index("contacts_provider", "provider_id", postgresql_where=text("provider_id IS NOT NULL")),
        Index("contacts_municipality", "municipality", "role"),
    )


class MailOff(Base):
    """A kind of notice a person does not want by e-mail (only kinds that are not essential)."""

    __tablename__ = "mail_off"

    subject: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (PrimaryKeyConstraint("subject", "kind"),)


class Notification(Base):
    """One notice to one person: the feed item, and the source of its mail. Made once per what
    made it (`source`: an event's id, "reminder", "digest:<day>"), recipient, kind and object."""

    __tablename__ = "notifications"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    recipient: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    ref: Mapped[str] = mapped_column(Text, nullable=False)  # the object it is about
    title: Mapped[str] = mapped_column(Text, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    link: Mapped[str | None] = mapped_column(Text)
    in_feed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("source", "recipient", "kind", "ref", name="notifications_once"),
        Index("notifications_feed", "recipient", "created_at", "id", postgresql_where=text("in_feed")),
        Index("notifications_unread", "recipient", postgresql_where=text("in_feed AND read_at IS NULL")),
    )


class Delivery(Base):
    """A mail on its way: written with its notice, in the same transaction as the event's inbox
    row. Its id is the mail's Message-ID. See domain/statuses.py for its life."""

    __tablename__ = "deliveries"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    notification_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("notifications.id"), nullable=False, unique=True)
    recipient: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[str] = mapped_column(Text, nullable=False)
    address: Mapped[str | None] = mapped_column(Text)  # set when claimed (or given, for a password reset)
    subject: Mapped[str] = mapped_column(Text, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (
        CheckConstraint("status IN ('pending','sending','sent')", name="deliveries_status_known"),
        Index("deliveries_due", "next_attempt_at", postgresql_where=text("status <> 'sent'")),
        Index("deliveries_recent", "recipient", "last_attempt_at", postgresql_where=text("status <> 'pending'")),
    )


class Enrollment(Base):
    """What the service keeps of one application and its contract (same id) from the events:
    whose it is and what it is called, for notices whose events do not say, and the deadlines
    the reminders watch. Marks of closing keep the first time they were set."""

    __tablename__ = "enrollments"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    owner: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    program_title: Mapped[str | None] = mapped_column(Text)
    provider_name: Mapped[str | None] = mapped_column(Text)
    contract_number: Mapped[str | None] = mapped_column(Text)
    decide_by: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    offered_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    offer_closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contract_offered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contract_closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_on: Mapped[date | None] = mapped_column(Date)
    decision_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    offer_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    contract_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index("enrollments_decision_watch", "decide_by",
              postgresql_where=text("decided_at IS NULL AND decision_reminded_at IS NULL")),
        Index("enrollments_offer_watch", "offered_until",
              postgresql_where=text("offer_closed_at IS NULL AND offer_reminded_at IS NULL")),
        Index("enrollments_contract_watch", "contract_offered_at",
              postgresql_where=text("contract_closed_at IS NULL AND contract_reminded_at IS NULL")),
    )


class PendingCheck(Base):
    """A certificate awaiting verification or a provider awaiting approval, for the operators'
    digest, until the event that settles it."""

    __tablename__ = "pending_checks"

    kind: Mapped[str] = mapped_column(Text, nullable=False)
    ref: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    label: Mapped[str] = mapped_column(Text, nullable=False)  # the certificate's number, the provider's name
    since: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        PrimaryKeyConstraint("kind", "ref"),
        CheckConstraint("kind IN ('certificate','provider')", name="pending_checks_kind_known"),
        Index("pending_checks_open", "municipality", "since", postgresql_where=text("done_at IS NULL")),
    )


class JobRun(Base):
    """A once-a-day job's day, recorded in the transaction of what it made."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(Text, nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False)
    done_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)

    __table_args__ = (PrimaryKeyConstraint("job", "day"),)
