"""Async SQLAlchemy engine and sessions."""
from __future__ import annotations

from sqlalchemy.engine import make_url
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
    return create_async_engine(
        async_url(url), pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True, hide_parameters=True,
        connect_args={"server_settings": PLANNER_SETTINGS},
    )


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
