"""The engine's pool without a pre-ping: connections the server ended are replaced, no caller sees an error."""
from __future__ import annotations

import asyncpg
from sqlalchemy import event, text

from pfdo_kit.db import asyncpg_dsn, make_engine, make_sessions
from tests.support.waiting import eventually


async def _backend_pid(sessions) -> int:
    async with sessions() as session, session.begin():
        return (await session.execute(text("SELECT pg_backend_pid()"))).scalar_one()


async def test_connections_the_server_ended_are_replaced_without_a_failed_statement(fresh_database, pg_admin_url):
    engine = make_engine(await fresh_database(), pool_size=3, max_overflow=0)
    sessions = make_sessions(engine)
    statements: list[str] = []
    made: list[asyncpg.Connection] = []
    event.listen(engine.sync_engine, "connect", lambda dbapi, _r: made.append(dbapi.driver_connection))
    event.listen(engine.sync_engine, "before_cursor_execute", lambda _c, _cur, sql, *_: statements.append(sql))
    try:
        async with sessions() as a, a.begin(), sessions() as b, b.begin(), sessions() as c, c.begin():
            pids = {(await s.execute(text("SELECT pg_backend_pid()"))).scalar_one() for s in (a, b, c)}
        assert len(pids) == 3
        admin = await asyncpg.connect(asyncpg_dsn(pg_admin_url))
        try:  # what a restart does to every session: the server terminates it
            await admin.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", list(pids))
        finally:
            await admin.close()

        async def all_seen_closed() -> bool:
            return all(c.is_closed() for c in made)

        await eventually(all_seen_closed, timeout_s=5, what="the client noticing its connections closed")
        statements.clear()
        after = {await _backend_pid(sessions) for _ in range(6)}
        assert not after & pids, "every connection the server ended was replaced"
        assert statements == ["SELECT pg_backend_pid()"] * 6, "no ping or retry on the way"
    finally:
        await engine.dispose()
