"""Async SQLAlchemy engine and sessions."""
from __future__ import annotations

import re

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine


def async_url(url: str) -> str:
    """Accept postgresql:// URLs from operators and use the asyncpg driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


def asyncpg_dsn(url: str) -> str:
    """The same URL for a bare asyncpg connection (LISTEN/NOTIFY)."""
    return make_url(async_url(url)).set(drivername="postgresql").render_as_string(hide_password=False)


# The planner's defaults assume spinning disks: with random_page_cost 4 a batch of 1 000 rows
# (a month close's charges, debits, confirmations) was joined by reading the whole 100 000-row
# table once per batch instead of 1 000 index probes. 1.1 is the usual figure for SSDs and
# data that fits in memory. JIT compilation cost the month-close statement ~0.5 s and gained
# nothing: these are short transactional statements.
PLANNER_SETTINGS = {"random_page_cost": "1.1", "jit": "off"}


def make_engine(url: str, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    # hide_parameters: a database error's text (logged with its traceback) names the statement
    # but not the values, which may be personal data (СНИЛС, names).
    engine = create_async_engine(
        async_url(url), pool_size=pool_size, max_overflow=max_overflow, hide_parameters=True,
        connect_args={"server_settings": PLANNER_SETTINGS},
    )
    event.listen(engine.sync_engine, "checkout", _replace_closed)
    return engine


def _replace_closed(dbapi_connection, _record, _proxy) -> None:
    """Instead of pool_pre_ping (three round trips with asyncpg: BEGIN, ";", ROLLBACK on every checkout):
    asyncpg marks a connection closed as soon as the server ends it (a restart's termination, a dropped
    socket), so such a connection is replaced here without asking the server. One the client has not yet
    seen die fails its first statement as a disconnect, and SQLAlchemy then invalidates the whole pool."""
    if dbapi_connection.driver_connection.is_closed():
        raise DisconnectionError("the server closed this pooled connection")


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def make_read_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that only read, on the same pool: in AUTOCOMMIT, so a read sends no BEGIN and no ROLLBACK
    (two round trips of three for a one-statement read). Nothing is lost by it: under READ COMMITTED,
    PostgreSQL's default and ours, every statement takes its own snapshot inside a transaction too.
    A statement that would write or lock (INSERT, UPDATE, DELETE, FOR UPDATE…), which AUTOCOMMIT would
    commit at once, is refused before it is sent."""
    reads = engine.execution_options(isolation_level="AUTOCOMMIT")
    event.listen(reads.sync_engine, "before_cursor_execute", _refuse_writes)
    return async_sessionmaker(reads, expire_on_commit=False)


def make_snapshot_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for a read of several statements that must agree with each other (a record and its history):
    a READ ONLY transaction at REPEATABLE READ, so every statement sees the one snapshot its first took.
    Under READ COMMITTED (the read sessions above) a commit landing between two statements shows its
    second half without its first. Use as `async with rt.snapshots() as session, session.begin():`."""
    snapshots = engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    return async_sessionmaker(snapshots, expire_on_commit=False)


_WRITES = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COPY|CREATE|ALTER|DROP|LOCK|NOTIFY|CALL)\b", re.I)


class WriteInReadSession(RuntimeError):
    """A write (or a lock) sent through a read-only session: a bug, it would commit at once."""


def _refuse_writes(_conn, _cursor, statement: str, _parameters, _context, _executemany) -> None:
    if _WRITES.search(statement):
        raise WriteInReadSession(f"a read-only session was asked to run: {statement[:200]}")
