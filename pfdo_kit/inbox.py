"""Consumers remember each event they acted on, in the transaction of the effect."""
from __future__ import annotations

import functools
import uuid

from sqlalchemy import Table, Text, bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from pfdo_events import Envelope
from pfdo_kit.precompiled import Precompiled, bound


# The statements are built once per inbox table: building one and its cache key per message cost ~200 µs of CPU.
@functools.cache
def _claim(inbox: Table) -> Precompiled:
    return Precompiled(insert(inbox).values(bound(inbox, ("consumer", "event_id", "event_type"), prefix="the_"))
                       .on_conflict_do_nothing().returning(inbox.c.event_id))


@functools.cache
def _claim_many(inbox: Table) -> Precompiled:
    rows = select(bindparam("consumer", type_=Text), func.unnest(bindparam("ids", type_=ARRAY(UUID(as_uuid=True)))),
                  func.unnest(bindparam("types", type_=ARRAY(Text))))
    return Precompiled(insert(inbox).from_select(["consumer", "event_id", "event_type"], rows)
                       .on_conflict_do_nothing().returning(inbox.c.event_id))


async def claim(session: AsyncSession, inbox: Table, consumer: str, envelope: Envelope) -> bool:
    """True the first time this consumer sees the event; False for a redelivery."""
    claimed = await _claim(inbox).first(session, the_consumer=consumer, the_event_id=envelope.id,
                                        the_event_type=envelope.routing_key)
    return claimed is not None


async def claim_many(session: AsyncSession, inbox: Table, consumer: str, envelopes: list[Envelope]) -> set[uuid.UUID]:
    """The ids among these events this consumer had not seen: one statement for a window of deliveries, of one
    shape whatever the window's size (the arrays unnested)."""
    rows = await _claim_many(inbox).all(session, consumer=consumer, ids=[e.id for e in envelopes],
                                        types=[e.routing_key for e in envelopes])
    return {row.event_id for row in rows}
