"""Staging several events in one INSERT (Outbox.add_all): each its own envelope, in the outbox's id
order as given (the relay publishes by id), and all of them published once committed."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from tests.integration.kit.harness import ThingHappened, messaging
from tests.support.waiting import eventually


async def test_events_staged_together_keep_their_order_and_are_all_published(bus):
    await bus.add_consumer()
    correlation = uuid.uuid4()
    async with bus.sessions() as session, session.begin():
        assert await bus.outbox.add_all(session, []) == []
        envelopes = await bus.outbox.add_all(session, [ThingHappened(n=n) for n in range(40, 0, -1)],
                                             correlation_id=correlation)
    async with bus.engine.connect() as conn:
        rows = (await conn.execute(select(messaging.outbox.c.event_id, messaging.outbox.c.envelope)
                                   .order_by(messaging.outbox.c.id))).all()
    assert [r.event_id for r in rows] == [e.id for e in envelopes]
    assert len({e.id for e in envelopes}) == 40
    assert [r.envelope["payload"]["n"] for r in rows] == list(range(40, 0, -1))
    assert {r.envelope["correlation_id"] for r in rows} == {str(correlation)}

    bus.run_in_background(bus.relay())

    async def all_applied() -> bool:
        return await bus.effect_counts() == (40, 40)

    await eventually(all_applied, what="every staged event's effect")
    assert await bus.unsent() == 0
