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


def make_engine(url: str, pool_size: int = 10, max_overflow: int = 10) -> AsyncEngine:
    # hide_parameters: a database error's text (logged with its traceback) names the statement
    # but not the values, which may be personal data (СНИЛС, names).
    return create_async_engine(
        async_url(url), pool_size=pool_size, max_overflow=max_overflow, pool_pre_ping=True, hide_parameters=True
    )


def make_sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
