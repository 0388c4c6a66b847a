"""Idempotency-Key for writes that move money or seats: a repeat returns the first answer.

The key is claimed inside the write's own transaction: a concurrent repeat waits on the
unique index until the first commits and then replays its stored answer; if the first
rolled back, the repeat simply runs.
"""
from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit.errors import invalid
from pfdo_kit.precompiled import Precompiled, bound

HEADER = "idempotency-key"

# Declares the header on an operation that honours it (routes take it as a parameter named
# `idempotency_key`; `answer_once` reads it from the request itself).
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=200,
    description="Ключ повтора: запрос с тем же ключом не выполняется второй раз, а получает первый ответ. "
                "Пришлите новый случайный ключ (например, UUID) для каждого нового действия.",
    examples=["5b0e6a3c-2f64-4d0a-9a5e-0c7b7b1c2d11"])]


def idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_keys", metadata,
        Column("subject", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("method", Text, nullable=False),
        Column("path", Text, nullable=False),
        Column("status", Integer),
        Column("body", JSONB),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("subject", "key"),
    )


class _Statements:
    """One idempotency table's statements, built once (building them per request cost more CPU than sending)."""

    def __init__(self, table: Table) -> None:
        c, the = table.c, bound(table, ("subject", "key", "method", "path", "status", "body"), prefix="the_")
        self.claim = Precompiled(insert(table).values(subject=the["subject"], key=the["key"], method=the["method"],
                                                      path=the["path"]).on_conflict_do_nothing().returning(c.key))
        self.first = select(table).where(c.subject == the["subject"], c.key == the["key"])
        self.remember = Precompiled(update(table).where(c.subject == the["subject"], c.key == the["key"])
                                    .values(status=the["status"], body=the["body"]))


@functools.cache
def _statements(table: Table) -> _Statements:
    return _Statements(table)


async def replay_or_claim(session: AsyncSession, table: Table, request: Request, subject: str) -> JSONResponse | None:
    """None: go on and do the write. A response: this request was answered before."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 200:
        raise invalid("Idempotency-Key", "Ключ идемпотентности — от 1 до 200 символов")
    statements = _statements(table)
    claimed = await statements.claim.first(session, the_subject=subject, the_key=key, the_method=request.method,
                                           the_path=request.url.path)
    if claimed is not None:
        request.state.idempotency = (subject, key)
        return None
    first = (await session.execute(statements.first, {"the_subject": subject, "the_key": key})).one()
    if (first.method, first.path) != (request.method, request.url.path):
        raise invalid("Idempotency-Key", "Этот ключ уже использован для другого запроса")
    return JSONResponse(first.body, status_code=first.status, headers={"Idempotent-Replayed": "true"})


async def remember(session: AsyncSession, table: Table, request: Request, status: int, body: Any) -> None:
    claim = getattr(request.state, "idempotency", None)
    if claim is None:
        return
    subject, key = claim
    await _statements(table).remember.run(session, the_subject=subject, the_key=key, the_status=status,
                                          the_body=body)


async def answer_once(session: AsyncSession, table: Table, request: Request, subject: str, status: int,
                      write: Callable[[], Awaitable[BaseModel]]) -> BaseModel | JSONResponse:
    """The stored answer of a repeat, or the write's answer, remembered in the write's transaction."""
    if (replay := await replay_or_claim(session, table, request, subject)) is not None:
        return replay
    answer = await write()
    await remember(session, table, request, status, answer.model_dump(mode="json"))
    return answer
