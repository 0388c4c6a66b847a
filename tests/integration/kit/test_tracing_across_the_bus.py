"""A trace goes on across the bus: an event staged in a span is consumed in a child span of it, and what
that consumer stages is consumed in a child of the consumer's span, hop after hop."""
from __future__ import annotations

from opentelemetry import trace
from opentelemetry.trace import SpanKind

from tests.integration.kit.harness import ThingHappened, record_effect
from tests.support.tracing import ancestors, recorded_spans
from tests.support.waiting import eventually


async def test_each_consumer_continues_the_trace_of_the_event_it_handles(bus):
    spans = recorded_spans()
    spans.clear()

    async def pass_it_on(ctx, event: ThingHappened) -> None:
        await record_effect(ctx, event)
        if event.n < 3:
            await ctx.emit(ThingHappened(n=event.n + 1))

    await bus.add_consumer(pass_it_on, purpose="relay-race")
    bus.run_in_background(bus.relay())
    with trace.get_tracer("test").start_as_current_span("the request") as root:
        await bus.emit(1)

    def consumed() -> list:
        return [s for s in spans.get_finished_spans() if s.kind == SpanKind.CONSUMER]

    async def three_hops() -> bool:
        return len(consumed()) == 3
    await eventually(three_hops, timeout_s=20, what="three consumer spans")
    everything = spans.get_finished_spans()
    hops = sorted(consumed(), key=lambda s: len(ancestors(everything, s)))
    assert {s.context.trace_id for s in hops} == {root.get_span_context().trace_id}
    assert [len(ancestors(everything, s)) for s in hops] == [1, 2, 3], "each hop a child of the one before"
    assert hops[0].parent.span_id == root.get_span_context().span_id
    assert hops[0].attributes["messaging.destination.name"] == "test.thing.happened.v1"
