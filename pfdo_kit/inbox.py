"""Consumers remember each event they acted on, in the transaction of the effect."""
from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events import Envelope


async def claim(session: AsyncSession, inbox: Table, consumer: str, envelope: Envelope) -> bool:
    """True the first time this consumer sees the event; False for a redelivery."""
    result = await session.execute(
        insert(inbox)
        .values(consumer=consumer, event_id=envelope.id, event_type=envelope.routing_key)
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id)
    )
    return result.first() is not None
