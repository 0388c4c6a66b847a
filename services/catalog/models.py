"""The catalog's tables: providers and their payment agreements as the registry announces them,
the agreements' usage as the certificates service announces it, programs, modules,
groups with their seats, and search's projection (one row per listed program), the known
words it corrects typos against and the titles it suggests."""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pfdo_kit.idempotency import idempotency_table
from pfdo_kit.messaging_tables import messaging_tables


class Base(DeclarativeBase):
    pass


metadata = Base.metadata
messaging = messaging_tables(metadata)
idempotency_keys = idempotency_table(metadata)


class Provider(Base):
    """The catalog's copy of what it needs from the registry's events."""

    __tablename__ = "providers"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    short_name: Mapped[str] = mapped_column(Text, nullable=False)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    has_payment_agreement: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AgreementCopy(Base):
    """A provider's payment agreement with a payer municipality for a year, from the registry's
    `registry.agreement.changed`: what the payment check reads besides the certificate."""

    __tablename__ = "agreements"

    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    municipality: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(Text, nullable=False)
    limit_kop: Mapped[int | None] = mapped_column(BigInteger)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False)
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AgreementUsage(Base):
    """How much of an agreement's limit the certificates hold or have paid (reserved and not
    released, plus debited), from `certificates.agreement.usage_changed`."""

    __tablename__ = "agreement_usage"

    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    municipality: Mapped[str] = mapped_column(Text, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    used_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Program(Base):
    __tablename__ = "programs"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("providers.id"), nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False, default="draft")
    title: Mapped[str] = mapped_column(Text, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)
    direction: Mapped[str] = mapped_column(Text, nullable=False)
    level: Mapped[str] = mapped_column(Text, nullable=False)
    form: Mapped[str] = mapped_column(Text, nullable=False)
    min_age: Mapped[int] = mapped_column(Integer, nullable=False)
    max_age: Mapped[int] = mapped_column(Integer, nullable=False)
    ovz_adapted: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    registers: Mapped[list[str]] = mapped_column(ARRAY(Text), nullable=False)
    certification_score: Mapped[int | None] = mapped_column(Integer)
    certified_until: Mapped[date | None] = mapped_column(Date)
    enrollment_limit: Mapped[int | None] = mapped_column(Integer)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    rating_sum: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    rating_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

    __table_args__ = (
        CheckConstraint("status IN ('draft','published','unpublished')", name="programs_status_known"),
        CheckConstraint("min_age <= max_age", name="programs_ages_ordered"),
        Index("programs_listing", "municipality", "direction", "status"),
        Index("programs_provider", "provider_id"),
    )


class Module(Base):
    __tablename__ = "modules"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), index=True, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    hours: Mapped[int] = mapped_column(Integer, nullable=False)
    price_kop: Mapped[int] = mapped_column(BigInteger, nullable=False)

    __table_args__ = (CheckConstraint("hours > 0 AND price_kop >= 0", name="modules_positive"),)


class Group(Base):
    __tablename__ = "groups"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), index=True, nullable=False)
    module_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("modules.id"), nullable=False)
    venue: Mapped[str] = mapped_column(Text, nullable=False)
    teacher: Mapped[str] = mapped_column(Text, nullable=False)
    schedule: Mapped[list] = mapped_column(JSONB, nullable=False)
    weekdays: Mapped[list[int]] = mapped_column(ARRAY(Integer), nullable=False)
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date] = mapped_column(Date, nullable=False)
    capacity: Mapped[int] = mapped_column(Integer, nullable=False)
    taken: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    enrollment_open: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    __table_args__ = (
        # A seat is never sold twice: the database refuses more takers than seats.
        CheckConstraint("taken >= 0 AND taken <= capacity", name="groups_seats_within_capacity"),
        CheckConstraint("starts_on <= ends_on", name="groups_dates_ordered"),
        Index("groups_weekdays", "weekdays", postgresql_using="gin"),
    )


class CertificateCopy(Base):
    """What the catalog knows of a certificate, from the certificates service's events."""

    __tablename__ = "certificates"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, unique=True)
    owner: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    birth_date: Mapped[date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    event_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    kind: Mapped[str | None] = mapped_column(Text)  # accounting: no money until its first certified enrollment
    available_kop: Mapped[int | None] = mapped_column(BigInteger)
    free_left: Mapped[dict | None] = mapped_column(JSONB)
    balance_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Application(Base):
    __tablename__ = "applications"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    status: Mapped[str] = mapped_column(Text, nullable=False)
    owner: Mapped[str] = mapped_column(Text, nullable=False, index=True)
    child_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    certificate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("certificates.id"), nullable=False)
    group_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("groups.id"), nullable=False)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), nullable=False)
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)  # the program's: where it is taught
    payer: Mapped[str] = mapped_column(Text, nullable=False)  # the certificate's: who pays, whose staff sees it
    holds_seat: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason: Mapped[str | None] = mapped_column(Text)
    decide_by: Mapped[date] = mapped_column(Date, nullable=False)
    offered_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    enrolled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now(), nullable=False)

    __table_args__ = (
        CheckConstraint(
            "status IN ('submitted','accepted','awaiting_signature','enrolled','rejected','cancelled','expired',"
            "'waitlisted','offered')", name="applications_status_known"),
        # One live application per child and group.
        Index("applications_one_live", "child_id", "group_id", unique=True,
              postgresql_where=text("status NOT IN ('rejected','cancelled','expired')")),
        Index("applications_waitlist", "group_id", "created_at", postgresql_where=text("status = 'waitlisted'")),
        Index("applications_payer", "payer", "created_at"),  # a municipal operator's list
    )


class Review(Base):
    """A family's rating of a program their child was enrolled in: once per child and program."""

    __tablename__ = "reviews"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), nullable=False)
    child_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False)
    owner: Mapped[str] = mapped_column(Text, nullable=False)
    rating: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), nullable=False)

    __table_args__ = (
        CheckConstraint("rating BETWEEN 1 AND 5", name="reviews_rating_range"),
        Index("reviews_once_per_child", "program_id", "child_id", unique=True),
    )


class ProgramSearch(Base):
    """Search's projection: one row per listed program (published, its provider approved) with
    everything a hit, its filters and the facets need, so that filters and facets read one narrow
    table (fixed-width columns first); its words are in ProgramSearchText. Kept current by
    flows/search_projection in the transaction that changes the program, its groups or seats, its
    reviews or its provider. The group figures count groups not yet ended: `fresh_until` is the
    day the first of them ends, after which the sweeper counts them again."""

    __tablename__ = "program_search"

    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("programs.id"), primary_key=True)
    provider_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), nullable=False, index=True)
    min_age: Mapped[int] = mapped_column(Integer, nullable=False)
    max_age: Mapped[int] = mapped_column(Integer, nullable=False)
    ovz_adapted: Mapped[bool] = mapped_column(Boolean, nullable=False)
    certified_until: Mapped[date | None] = mapped_column(Date)  # only while on the certified register
    rating: Mapped[float | None] = mapped_column(Double)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    groups: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    free_seats: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    nearest_start: Mapped[date | None] = mapped_column(Date)
    fresh_until: Mapped[date | None] = mapped_column(Date, index=True)
    # What a result card shows without another call: the cheapest module's price for its whole term and the
    # weekdays its groups (not yet ended) meet on (0 Monday … 6 Sunday), written with the group figures.
    price_from_kop: Mapped[int | None] = mapped_column(BigInteger)
    weekdays: Mapped[list[int]] = mapped_column(ARRAY(Integer), nullable=False, server_default="{}")
    analyzer: Mapped[int] = mapped_column(Integer, nullable=False)  # the version of words.document that wrote its text
    direction: Mapped[str] = mapped_column(Text, nullable=False)
    level: Mapped[str] = mapped_column(Text, nullable=False)
    municipality: Mapped[str] = mapped_column(Text, nullable=False)
    provider_name: Mapped[str] = mapped_column(Text, nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (
        Index("program_search_listing", "municipality", "direction"),
        # Seat counts change often: room on each page keeps those updates HOT (no index entry written).
        {"postgresql_with": {"fillfactor": "70"}},
    )


class ProgramSearchText(Base):
    """A listed program's words (domain/words.document: title weight A, description B) and its
    description for the snippets; written with its ProgramSearch row, gone with it."""

    __tablename__ = "program_search_text"

    program_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("program_search.program_id", ondelete="CASCADE"),
                                                  primary_key=True)
    document: Mapped[str] = mapped_column(TSVECTOR, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)

    __table_args__ = (
        # Written straight into the index: no pending list that every search would scan.
        Index("program_search_text_document", "document", postgresql_using="gin",
              postgresql_with={"fastupdate": "off"}),
    )


class SearchTerm(Base):
    """Every key a listed program's text ever had: a query word none of them knows is a typo
    of its nearest ones (trigram distance, then Damerau–Levenshtein)."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(Text(collation="C"), primary_key=True)  # C: a prefix is an index range

    __table_args__ = (
        Index("search_terms_trigrams", "term", postgresql_using="gist", postgresql_ops={"term": "gist_trgm_ops"}),
    )


class SearchPhrase(Base):
    """The titles of listed programs, with how many programs bear each: what suggestions offer."""

    __tablename__ = "search_phrases"

    phrase: Mapped[str] = mapped_column(Text, primary_key=True)
    words: Mapped[str] = mapped_column(TSVECTOR, nullable=False)
    programs: Mapped[int] = mapped_column(Integer, nullable=False)

    __table_args__ = (
        Index("search_phrases_words", "words", postgresql_using="gin", postgresql_with={"fastupdate": "off"}),
        Index("search_phrases_trigrams", "phrase", postgresql_using="gist",
              postgresql_ops={"phrase": "gist_trgm_ops"}),
    )
