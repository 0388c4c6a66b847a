"""Writes that move seats answer a repeated Idempotency-Key with their first answer."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_kit import idempotency
from services.catalog.models import idempotency_keys


async def answer_once(session: AsyncSession, request: Request, subject: str, status_code: int,
                      write: Callable[[], Awaitable[BaseModel]]) -> BaseModel | JSONResponse:
    """The stored answer of a repeat, or the write's answer, remembered in its transaction."""
    if (replay := await idempotency.replay_or_claim(session, idempotency_keys, request, subject)) is not None:
        return replay
    answer = await write()
    await idempotency.remember(session, idempotency_keys, request, status_code, answer.model_dump(mode="json"))
    return answer
