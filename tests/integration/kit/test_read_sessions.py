"""Read-only sessions (pfdo_kit.db.make_read_sessions): on the same pool as the write sessions, reads
without BEGIN and ROLLBACK, and a write refused before it reaches the database. Snapshot sessions
(make_snapshot_sessions): several statements that see one moment."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from pfdo_kit.db import WriteInReadSession, make_read_sessions, make_snapshot_sessions
from tests.integration.kit.harness import effects

_NOW_MOVES = ("SELECT now()", "SELECT pg_sleep(0.02)", "SELECT now()")


async def _now_moves_on(session) -> bool:
    """now() is the transaction's start: it moves between two statements only if each is a transaction."""
    first, _, second = [(await session.execute(text(sql))).scalar_one() for sql in _NOW_MOVES]
    return second > first


async def test_a_read_session_reads_what_was_committed_without_a_transaction_of_its_own(bus):
    reads = make_read_sessions(bus.engine)
    async with bus.sessions() as session, session.begin():
        await session.execute(insert(effects).values(n=7, event_id=uuid.uuid4()))
    async with reads() as session:
        assert (await session.execute(select(effects.c.n))).scalars().all() == [7]
        assert await _now_moves_on(session)  # AUTOCOMMIT: no BEGIN was sent
    async with bus.sessions() as session, session.begin():  # the pool's connections still write in transactions
        assert not await _now_moves_on(session)


@pytest.mark.parametrize("write", [
    insert(effects).values(n=1, event_id=uuid.uuid4()),
    update(effects).values(n=2),
    select(effects.c.n).with_for_update(),
    text("DELETE FROM effects"),
], ids=["insert", "update", "select for update", "delete"])
async def test_a_write_through_a_read_session_is_refused_and_changes_nothing(bus, write):
    reads = make_read_sessions(bus.engine)
    async with bus.sessions() as session, session.begin():
        await session.execute(insert(effects).values(n=5, event_id=uuid.uuid4()))
    async with reads() as session:
        with pytest.raises(WriteInReadSession):
            await session.execute(write)
    async with bus.sessions() as session:
        assert (await session.execute(select(effects.c.n))).scalars().all() == [5]
        assert (await session.execute(select(func.count()).select_from(effects))).scalar_one() == 1


async def _count(session) -> int:
    return (await session.execute(select(func.count()).select_from(effects))).scalar_one()


async def test_a_snapshot_session_sees_one_moment_however_many_statements_it_sends(bus):
    snapshots, reads = make_snapshot_sessions(bus.engine), make_read_sessions(bus.engine)
    async with bus.sessions() as session, session.begin():
        await session.execute(insert(effects).values(n=1, event_id=uuid.uuid4()))
    async with snapshots() as snapshot, snapshot.begin():
        assert await _count(snapshot) == 1
        async with bus.sessions() as session, session.begin():  # a commit between the snapshot's statements
            await session.execute(insert(effects).values(n=2, event_id=uuid.uuid4()))
        async with reads() as session:
            assert await _count(session) == 2  # READ COMMITTED: a statement of its own sees it
        assert await _count(snapshot) == 1
    async with snapshots() as snapshot, snapshot.begin():
        assert await _count(snapshot) == 2


async def test_a_snapshot_session_cannot_write_and_leaves_its_connection_as_it_found_it(bus):
    snapshots = make_snapshot_sessions(bus.engine)
    for _ in range(3):  # the pool hands the same connections back: none keeps the read-only transaction mode
        with pytest.raises(DBAPIError, match="read-only transaction"):
            async with snapshots() as snapshot, snapshot.begin():
                await snapshot.execute(insert(effects).values(n=9, event_id=uuid.uuid4()))
        async with bus.sessions() as session, session.begin():
            await session.execute(insert(effects).values(n=3, event_id=uuid.uuid4()))
            isolation = (await session.execute(text("SHOW transaction_isolation"))).scalar_one()
            assert isolation == "read committed"
    async with bus.sessions() as session:
        assert (await session.execute(select(effects.c.n))).scalars().all() == [3, 3, 3]
