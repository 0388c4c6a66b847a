"""One process's state as an operator's overview shows it, read from the real sources when asked
(never from the Prometheus gauges, which keep the last reading and are shared by the whole process):
whether it can serve, its broker connection, its outbox backlog and each of its consumers' dead-letter
queues. /health/status serves it; the gateway gathers every service's (GET /api/v1/admin/platform)."""
from __future__ import annotations

import asyncio
from collections.abc import Sequence

from aio_pika.abc import AbstractRobustConnection
from sqlalchemy import Table, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from pfdo_kit.bus.dead_letters import depth

READ_TIMEOUT_S = 2.0


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


async def status(runtime) -> dict:
    """The process's state now (`runtime`: a ServiceRuntime); each part read within READ_TIMEOUT_S, a part
    that could not be read is named in `error` and reported empty."""
    errors: list[str] = []
    ready = await database_ok(runtime.engine)
    unsent, oldest = 0, None
    try:
        async with asyncio.timeout(READ_TIMEOUT_S):
            unsent, oldest = await outbox_backlog(runtime.engine, runtime.tables.outbox)
    except Exception:
        errors.append("очередь исходящих событий (outbox) не прочитана")
    dead_letters: list[dict] = []
    gauge = runtime.dead_letter_gauge
    if gauge is None:  # the bus has not started yet: nothing to read the queues with
        errors.append("нет соединения с брокером: очереди недоставленных сообщений не прочитаны")
    else:
        try:
            async with asyncio.timeout(READ_TIMEOUT_S):
                dead_letters = [{"queue": q, "messages": n} for q, n in await gauge.read()]
        except Exception:
            errors.append("очереди недоставленных сообщений не прочитаны")
    return {"service": runtime.service, "ready": ready, "broker": "ok" if runtime.broker_connected() else "down",
            "outbox_unsent": unsent, "outbox_oldest_age_s": oldest, "dead_letters": dead_letters,
            "error": "; ".join(errors) or None}
