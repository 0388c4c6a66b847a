"""One process's state as an operator's overview shows it, read from the real sources when asked
(never from the Prometheus gauges, which keep the last reading and are shared by the whole process):
whether it can serve, its broker connection, its outbox backlog and each of its consumers' dead-letter
queues. /health/status serves it (its `ready` is /health/ready's answer: the database answered); the
gateway gathers every service's (GET /api/v1/admin/platform)."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aio_pika.abc import AbstractRobustConnection
from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from pfdo_kit.bus.dead_letters import depth

READ_TIMEOUT_S = 2.0  # /health/ready's database check
DEADLINE_S = 1.5  # /health/status in all: under the gateway's 2 s per service


async def database_ok(engine: AsyncEngine, timeout_s: float = READ_TIMEOUT_S) -> bool:
    try:
        async with asyncio.timeout(timeout_s):
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


async def outbox_backlog(engine: AsyncEngine, outbox: Table) -> tuple[int, float | None]:
    """Events committed and not yet published, and the oldest one's age in seconds (None: none).
    The partial index `outbox_unsent` holds exactly them."""
    async with engine.connect() as conn:
        count, age = (await conn.execute(
            select(func.count(), func.extract("epoch", func.now() - func.min(outbox.c.created_at)))
            .where(outbox.c.sent_at.is_(None)))).one()
    return count, None if age is None else float(age)


async def dead_letter_depths(connection: AbstractRobustConnection, queues: Sequence[str]) -> list[tuple[str, int]]:
    """(queue, messages waiting) of each dead-letter queue, by passive declares on a short-lived channel."""
    channel = await connection.channel()
    try:
        return [(queue, await depth(channel, queue)) for queue in queues]
    finally:
        if not channel.is_closed:
            await channel.close()


async def _within(deadline_s: float, **reads) -> dict[str, object]:
    """Every read run at once under one deadline: each its result, or the exception it raised, or a
    TimeoutError for one still running at the deadline (cancelled; the others keep their answers)."""
    tasks = {name: asyncio.ensure_future(read) for name, read in reads.items()}
    if tasks:
        await asyncio.wait(tasks.values(), timeout=deadline_s)
    out: dict[str, object] = {}
    for name, task in tasks.items():
        if not task.done():
            task.cancel()
            out[name] = TimeoutError()
        else:
            out[name] = task.exception() or task.result()
    return out


async def status(runtime) -> dict:
    """The process's state now (`runtime`: a ServiceRuntime): the database, the outbox and the dead-letter
    queues read at once within DEADLINE_S in all; a part not read in time or failing is named in `error` and
    reported empty (the database's: not ready), the others still reported."""
    gauge = runtime.dead_letter_gauge
    reads = {"database": database_ok(runtime.engine, DEADLINE_S),
             "outbox": outbox_backlog(runtime.engine, runtime.tables.outbox)}
    if gauge is not None:  # None: the bus has not started yet, nothing to read the queues with
        reads["dead_letters"] = gauge.read()
    got = await _within(DEADLINE_S, **reads)
    errors: list[str] = []
    ready = got["database"] is True
    unsent, oldest = 0, None
    if isinstance(got["outbox"], BaseException):
        errors.append("очередь исходящих событий (outbox) не прочитана")
    else:
        unsent, oldest = got["outbox"]
    dead_letters: list[dict] = []
    if gauge is None:
        errors.append("нет соединения с брокером: очереди недоставленных сообщений не прочитаны")
    elif isinstance(got["dead_letters"], BaseException):
        errors.append("очереди недоставленных сообщений не прочитаны")
    else:
        dead_letters = [{"queue": q, "messages": n} for q, n in got["dead_letters"]]
    return {"service": runtime.service, "ready": ready, "broker": "ok" if runtime.broker_connected() else "down",
            "outbox_unsent": unsent, "outbox_oldest_age_s": oldest, "dead_letters": dead_letters,
            "error": "; ".join(errors) or None}
