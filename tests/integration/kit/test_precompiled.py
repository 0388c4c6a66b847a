"""Statements compiled once and sent straight to asyncpg (pfdo_kit.precompiled), against the real
database: the same rows as session.execute, inside the session's transaction (its BEGIN sent first),
errors raised as session.execute raises them, pending ORM objects written first, reads only in a
read session."""
from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import asyncpg
import pytest
from sqlalchemy import (BigInteger, Boolean, Column, Date, DateTime, Integer, MetaData, Table, Text, bindparam,
                        func, insert, select, update)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from pfdo_kit.db import WriteInReadSession, asyncpg_dsn, make_engine, make_read_sessions, make_sessions
from pfdo_kit.precompiled import Precompiled

metadata = MetaData()
things = Table(
    "things", metadata,
    Column("id", UUID(as_uuid=True), primary_key=True),
    Column("status", Text, nullable=False),
    Column("kop", BigInteger, nullable=False),
    Column("flag", Boolean, nullable=False),
    Column("on_day", Date),
    Column("at", DateTime(timezone=True)),
    Column("body", JSONB),
    Column("tags", ARRAY(Text)),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
    Column("lessons", Integer, nullable=False, default=8),  # a Python-side constant default
    Column("stamped", DateTime(timezone=True), onupdate=lambda: datetime.now(UTC)),  # a callable one
)


class Base(DeclarativeBase):
    metadata = metadata


class Note(Base):
    __tablename__ = "notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


t = things.c
INSERT = Precompiled(insert(things).values(
    id=bindparam("id", type_=t.id.type), status=bindparam("status", type_=t.status.type),
    kop=bindparam("kop", type_=t.kop.type), flag=bindparam("flag", type_=t.flag.type),
    on_day=bindparam("on_day", type_=t.on_day.type), at=bindparam("at", type_=t.at.type),
    body=bindparam("body", type_=t.body.type), tags=bindparam("tags", type_=t.tags.type)))
READ = select(things).where(t.id == bindparam("id", type_=t.id.type), t.status.in_(["new", "old"]))
MOVE = (update(things).where(t.id == bindparam("id", type_=t.id.type), t.status.in_(["new"]))
        .values(status="old", stamped=func.now()))
NOTES = Precompiled(select(func.count()).select_from(Note.__table__))

ROW = dict(status="new", kop=123_456_789_012, flag=True, on_day=date(2026, 9, 1),
           at=datetime(2026, 9, 1, 8, 30, tzinfo=UTC), body={"фио": "Иванов", "months": [1, 2]}, tags=["a", "б"])


@pytest.fixture
async def db(fresh_database):
    engine = make_engine(await fresh_database(), pool_size=2, max_overflow=0)
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


async def test_the_rows_are_those_session_execute_reads(db):
    sessions, the_id = make_sessions(db), uuid.uuid4()
    async with sessions() as session, session.begin():
        await INSERT.run(session, id=the_id, **ROW)
    async with sessions() as session:
        expected = (await session.execute(READ, {"id": the_id})).one()
        got = await Precompiled(READ).first(session, id=the_id)
    assert got._asdict() == dict(expected._mapping)
    assert got.body == ROW["body"] and got.tags == ROW["tags"] and got.at == ROW["at"]
    assert type(got.id) is type(expected.id) and type(got.tags) is type(expected.tags)


async def test_a_none_is_bound_as_session_execute_binds_it(db):
    """JSON's None is the JSON null (SQLAlchemy's default for a JSON column), not SQL NULL."""
    sessions, mine, theirs = make_sessions(db), uuid.uuid4(), uuid.uuid4()
    async with sessions() as session, session.begin():
        await INSERT.run(session, id=mine, **{**ROW, "body": None, "on_day": None})
        await session.execute(insert(things).values(id=theirs, **{**ROW, "body": None, "on_day": None}))
    async with sessions() as session:
        kinds = (await session.execute(select(t.id, func.jsonb_typeof(t.body), t.on_day))).all()
    assert {the_id: rest for the_id, *rest in kinds} == {mine: ["null", None], theirs: ["null", None]}


async def test_it_commits_and_rolls_back_with_the_session(db):
    sessions, kept, dropped = make_sessions(db), uuid.uuid4(), uuid.uuid4()
    async with sessions() as session, session.begin():
        await INSERT.run(session, id=kept, **ROW)  # the transaction's first statement: BEGIN went first
    with pytest.raises(RuntimeError):
        async with sessions() as session, session.begin():
            await INSERT.run(session, id=dropped, **ROW)
            assert await Precompiled(MOVE).run(session, id=dropped) == 1
            raise RuntimeError("the flow fails after the write")
    async with sessions() as session:
        assert (await session.execute(select(t.id))).scalars().all() == [kept]
        assert await Precompiled(MOVE).run(session, id=dropped) == 0  # touched nothing: it was rolled back


async def test_run_many_runs_the_statement_once_per_set_of_parameters(db):
    sessions, ids = make_sessions(db), [uuid.uuid4() for _ in range(3)]
    async with sessions() as session, session.begin():
        await INSERT.run_many(session, [{**ROW, "id": the_id, "kop": n} for n, the_id in enumerate(ids)])
    async with sessions() as session:
        assert (await session.execute(select(t.id, t.kop).order_by(t.kop))).all() == list(zip(ids, range(3), strict=True))


async def test_a_database_error_is_the_one_session_execute_raises(db):
    sessions, the_id = make_sessions(db), uuid.uuid4()
    async with sessions() as session, session.begin():
        await INSERT.run(session, id=the_id, **ROW)
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            await INSERT.run(session, id=the_id, **ROW)
    async with sessions() as session, session.begin():  # the pooled connection works on
        assert await Precompiled(select(func.count()).select_from(things)).scalar(session) == 1


async def test_pending_objects_of_the_session_are_written_first(db):
    async with make_sessions(db)() as session, session.begin():
        session.add(Note(id=1, text="ещё не записано"))
        assert await NOTES.scalar(session) == 1


async def test_a_read_session_reads_but_refuses_a_write(db):
    the_id = uuid.uuid4()
    async with make_sessions(db)() as session, session.begin():
        await INSERT.run(session, id=the_id, **ROW)
    async with make_read_sessions(db)() as session:
        assert (await Precompiled(READ).first(session, id=the_id)).kop == ROW["kop"]
        for write in (INSERT, Precompiled(MOVE), Precompiled(READ.with_for_update())):
            with pytest.raises(WriteInReadSession):
                await write.run(session, id=uuid.uuid4(), **ROW)
    async with make_sessions(db)() as session:
        assert (await session.execute(select(t.status))).scalars().all() == ["new"]


async def test_a_constant_python_default_is_written_and_a_callable_one_refused(db):
    the_id = uuid.uuid4()
    async with make_sessions(db)() as session, session.begin():
        await INSERT.run(session, id=the_id, **ROW)
        assert await Precompiled(select(t.lessons).where(t.id == bindparam("the_id"))).scalar(session,
                                                                                             the_id=the_id) == 8
    with pytest.raises(ValueError, match="computed in Python"):
        Precompiled(update(things).values(kop=1))  # the callable onupdate would be frozen at compile time


def test_a_missing_parameter_is_refused_before_anything_is_sent():
    with pytest.raises(KeyError):
        Precompiled(READ)._arguments({})


PID = Precompiled(select(func.pg_backend_pid()))


async def test_a_connection_the_server_ended_is_invalidated_with_the_pools_older_ones(db, pg_admin_url):
    """As session.execute does on a disconnect: the error says the connection was invalidated, and the pool
    replaces every connection it had handed out before (a restart ends them all), not one per failure."""
    sessions = make_sessions(db)
    async with sessions() as a, a.begin(), sessions() as b, b.begin():
        before = {await PID.scalar(a), await PID.scalar(b)}
    with pytest.raises(DBAPIError) as failed:
        async with sessions() as session, session.begin():
            pid = await PID.scalar(session)
            admin = await asyncpg.connect(asyncpg_dsn(pg_admin_url))
            try:
                await admin.execute("SELECT pg_terminate_backend($1)", pid)
            finally:
                await admin.close()
            await INSERT.run(session, id=uuid.uuid4(), **ROW)
    assert failed.value.connection_invalidated
    async with sessions() as a, a.begin(), sessions() as b, b.begin():
        after = {await PID.scalar(a), await PID.scalar(b)}
    assert not after & before, "the connection that failed and the one that was pooled beside it were replaced"
