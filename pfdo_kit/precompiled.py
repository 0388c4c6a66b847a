"""Core statements compiled once and sent straight to asyncpg, in the session's own transaction.

An SQLAlchemy session costs more client CPU per statement than the statement costs to run: the
cache key, the compiled cache, the execution context, the greenlet switch, the result object
(~70–90 µs a statement on top of asyncpg's ~40). The hot paths (the outbox, the inbox, the
idempotency keys, the copies, the enrollment saga) run the same few statements thousands of times a
minute, so those are compiled here once, at import, by SQLAlchemy's own asyncpg dialect — the same
SQL text, the same casts, the same bind and result processing — and executed on the asyncpg
connection underneath the session. They join the session's transaction (its BEGIN is sent first if
the session has not sent one yet), so they commit or roll back with everything else the flow
writes; objects the ORM holds unwritten are flushed first, the engine's statement listeners see
each statement (a read session's write guard refuses a write as before), and a database error is
raised as the same `sqlalchemy.exc` exception `session.execute` raises. Refused when built: an IN
of a list given at run time (its text changes) and a column default computed in Python per
execution (it would be frozen); a constant default is bound once.
"""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from typing import Any

from sqlalchemy import BindParameter, Table, bindparam, exc
from sqlalchemy.dialects.postgresql.asyncpg import dialect as AsyncpgDialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import ClauseElement

_DIALECT = AsyncpgDialect()


class Precompiled:
    """One statement: its SQL, how each parameter is found and converted, and the shape of its rows."""

    __slots__ = ("sql", "_binds", "_row", "_processors")

    def __init__(self, statement: ClauseElement) -> None:
        compiled = statement.compile(dialect=_DIALECT)
        binds = {name: bind for bind, name in compiled.bind_names.items()}
        if any(bind.required and bind.expanding for bind in binds.values()):
            raise ValueError("an IN of a list given at run time changes the statement's text: not precompiled")
        defaults = _python_defaults(compiled)
        # An IN of constants (a move's source statuses) is rendered once, as plain parameters.
        expanded = compiled._process_parameters_for_postcompile(
            compiled.construct_params({bind.key: None for bind in binds.values() if bind.required}))
        processors = {**compiled._bind_processors, **expanded.processors}
        required = {name: bind.key for name, bind in binds.items() if bind.required}
        self.sql = expanded.statement
        # Each parameter in order: (the caller's key, or None for a constant of the statement; processor; constant)
        self._binds = tuple((required.get(name), processors.get(name), defaults.get(name, expanded.parameters[name]))
                            for name in expanded.positiontup)
        columns = compiled._result_columns
        self._row = namedtuple("Row", [column[0] for column in columns]) if columns else None
        results = [column[3]._cached_result_processor(_DIALECT, None) for column in columns]
        self._processors = tuple(results) if any(results) else None

    def _arguments(self, params: dict[str, Any]) -> list:
        arguments = []
        for key, process, constant in self._binds:
            value = constant if key is None else params[key]
            arguments.append(process(value) if process is not None else value)  # None too: JSON's is 'null'
        return arguments

    def _rows(self, records: list) -> list:
        make, processors = self._row._make, self._processors
        if processors is None:
            return [make(record) for record in records]
        return [make(p(v) if p is not None else v for p, v in zip(processors, record, strict=True))
                for record in records]

    async def all(self, session: AsyncSession, **params: Any) -> list:
        """Every row (named tuples: `row.column`, `row._asdict()`)."""
        records = await _send(session, self, "fetch", *self._arguments(params))
        return self._rows(records) if records else []

    async def first(self, session: AsyncSession, **params: Any):
        rows = await self.all(session, **params)
        return rows[0] if rows else None

    async def scalar(self, session: AsyncSession, **params: Any):
        """The first column of the first row, or None when there is no row."""
        records = await _send(session, self, "fetch", *self._arguments(params))
        if not records:
            return None
        value = records[0][0]
        process = self._processors[0] if self._processors else None
        return process(value) if process is not None and value is not None else value

    async def run(self, session: AsyncSession, **params: Any) -> int:
        """A statement without rows; the number of rows it touched."""
        status = await _send(session, self, "execute", *self._arguments(params))
        touched = status.rpartition(" ")[2]
        return int(touched) if touched.isdigit() else -1

    async def run_many(self, session: AsyncSession, rows: Iterable[dict[str, Any]]) -> None:
        """A statement without rows, once per set of parameters (asyncpg's executemany: one round trip)."""
        await _send(session, self, "executemany", [self._arguments(params) for params in rows])


def bound(table: Table, columns: Iterable[str], prefix: str = "") -> dict[str, BindParameter]:
    """Each column's value as a parameter named `<prefix><column>`, of the column's type: the VALUES or SET
    of a statement compiled once. (In an INSERT or UPDATE a parameter named like a column of another clause
    is SQLAlchemy's own: a prefix keeps them apart.)"""
    return {column: bindparam(f"{prefix}{column}", type_=table.c[column].type) for column in columns}


def named(values: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The values for `bound(..., prefix)`'s parameters: each key with the prefix."""
    return {f"{prefix}{column}": value for column, value in values.items()}


def _python_defaults(compiled) -> dict[str, Any]:
    """The columns the statement leaves to a Python-side default (`default=0`): SQLAlchemy fills them in at
    each execution; a constant is bound here once. A callable default (a new id, the time) is refused."""
    defaults = {}
    for column in compiled.insert_prefetch:
        defaults[column.key] = _constant(column, column.default)
    for column in compiled.update_prefetch:
        defaults[column.key] = _constant(column, column.onupdate)
    if len(defaults) != len(compiled.insert_prefetch) + len(compiled.update_prefetch):
        raise ValueError("two columns of one name left to Python-side defaults: bind their values instead")
    return defaults


def _constant(column, default) -> Any:
    if default is None or not default.is_scalar:
        raise ValueError(f"{column}'s default is computed in Python at each execution: bind its value instead")
    return default.arg


async def _send(session: AsyncSession, statement: Precompiled, method: str, *arguments):
    sync = session.sync_session
    if not sync._is_clean():  # objects the ORM has not written yet go first, as session.execute's autoflush does
        await session.flush()
    connection = (await session.connection()).sync_connection
    if connection._has_events or connection.engine._has_events:
        # The engine's statement listeners still see it (the read sessions' write guard, the benchmarks'
        # counts); they are given no cursor and no execution context.
        connection.dispatch.before_cursor_execute(connection, None, statement.sql, arguments, None, False)
    adapted = connection.connection.dbapi_connection
    async with adapted._execute_mutex:
        try:
            if adapted._transaction is None and not adapted.autocommit:
                await adapted._start_transaction()  # the session's BEGIN, which asyncpg's adapter sends lazily
            return await getattr(adapted._connection, method)(statement.sql, *arguments)
        except Exception as error:
            failure, cause = _translated(adapted, statement, error), error
    if getattr(failure, "connection_invalidated", False):
        # As session.execute does on a disconnect: this connection is dropped, and every other one the
        # pool handed out before now is replaced at its next checkout (a restart ended them all).
        connection.engine.pool._invalidate(connection._dbapi_connection, failure.orig, _checkin=False)
        await (await session.connection()).invalidate(failure.orig)
    raise failure from cause


def _translated(adapted, statement: Precompiled, error: Exception) -> Exception:
    """The exception session.execute would raise: asyncpg's error mapped by the dialect's adapter to its
    DB-API class, wrapped as sqlalchemy.exc (IntegrityError, OperationalError…), parameters hidden,
    `connection_invalidated` when the connection is gone."""
    try:
        adapted._handle_exception(error)
    except Exception as dbapi_error:
        if not isinstance(dbapi_error, adapted.dbapi.Error):
            return dbapi_error
        gone = _DIALECT.is_disconnect(dbapi_error, adapted, None)
        return exc.DBAPIError.instance(statement.sql, None, dbapi_error, adapted.dbapi.Error,
                                       hide_parameters=True, connection_invalidated=gone, dialect=_DIALECT)
    return error
