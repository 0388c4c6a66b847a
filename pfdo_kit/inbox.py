"""Consumers remember each event they acted on, in the transaction of the effect."""
from __future__ import annotations

import uuid

from sqlalchemy import Table, Text, bindparam, func, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
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


async def claim_many(session: AsyncSession, inbox: Table, consumer: str, envelopes: list[Envelope]) -> set[uuid.UUID]:
    """The ids among these events this consumer had not seen: one statement for a window of deliveries, of one
    shape whatever the window's size (the arrays unnested)."""
    rows = select(literal(consumer, Text), func.unnest(bindparam("ids", type_=ARRAY(UUID(as_uuid=True)))),
                  func.unnest(bindparam("types", type_=ARRAY(Text))))
    result = await session.execute(
        insert(inbox).from_select(["consumer", "event_id", "event_type"], rows)
        .on_conflict_do_nothing()
        .returning(inbox.c.event_id),
        {"ids": [e.id for e in envelopes], "types": [e.routing_key for e in envelopes]},
    )
    return set(result.scalars())
