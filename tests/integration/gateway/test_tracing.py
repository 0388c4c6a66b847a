"""One trace from the gateway to the service and on through the bus to the consumer: a parent asks the
gateway for a certificate; the gateway's span, its call to certificates, certificates' own span and
notifications' consumer of `certificates.certificate.issued` are one trace, each a child of the last."""
from __future__ import annotations

from opentelemetry.trace import SpanKind

from tests.support.tracing import ancestors, recorded_spans, trace_of
from tests.support.waiting import eventually

PARENT = {"email": "trace@example.ru", "phone": "+7 928 000-00-09", "password": "river-stone-42",
          "municipality": "chegem", "full_name": "Анна Следова"}


async def test_one_trace_from_the_gateway_through_the_consumer(world):
    spans = recorded_spans()
    c = world.gateway.client
    assert (await c.post("/api/v1/auth/register", json=PARENT)).status_code == 201
    parent = {"Authorization": "Bearer " + await world.login(PARENT["email"], PARENT["password"])}
    kid = (await c.post("/api/v1/children", headers=parent, json={
        "full_name": "Мария Следова", "birth_date": "2016-04-01", "snils": "112-233-445 95",
        "municipality": "chegem"})).json()
    spans.clear()
    assert (await c.post(f"/api/v1/children/{kid['id']}/certificate", headers=parent)).status_code == 201

    def consumer_span():
        return next((s for s in spans.get_finished_spans() if s.kind == SpanKind.CONSUMER
                     and s.attributes.get("messaging.destination.name") == "certificates.certificate.issued.v1"
                     and str(s.attributes.get("messaging.consumer.group.name", "")).startswith("notifications")),
                    None)

    async def consumed() -> bool:
        return consumer_span() is not None
    await eventually(consumed, timeout_s=20, what="notifications consumed the certificate's event")

    everything = spans.get_finished_spans()
    consumer = consumer_span()
    chain = ancestors(everything, consumer)
    kinds = [s.kind for s in chain]
    assert SpanKind.CLIENT in kinds, "the gateway's call to certificates"
    assert kinds.count(SpanKind.SERVER) == 2, "the gateway's span and certificates' own"
    root = chain[-1]
    assert root.kind == SpanKind.SERVER and root.parent is None, "the trace starts at the gateway"
    assert kinds.index(SpanKind.CLIENT) < len(kinds) - 1 and chain[kinds.index(SpanKind.CLIENT) + 1] is not None
    assert all(s.context.trace_id == root.context.trace_id for s in trace_of(everything, consumer))
