"""An in-memory span exporter for the whole test process (OpenTelemetry's tracer provider is set once per
process): tests clear it, act, and read the spans every in-process service recorded."""
from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

_EXPORTER: InMemorySpanExporter | None = None


def recorded_spans() -> InMemorySpanExporter:
    global _EXPORTER
    if _EXPORTER is None:
        _EXPORTER = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(_EXPORTER))
        trace.set_tracer_provider(provider)
    return _EXPORTER


def trace_of(spans: list[ReadableSpan], span: ReadableSpan) -> list[ReadableSpan]:
    return [s for s in spans if s.context.trace_id == span.context.trace_id]


def parent_of(spans: list[ReadableSpan], span: ReadableSpan) -> ReadableSpan | None:
    if span.parent is None:
        return None
    return next((s for s in spans if s.context.span_id == span.parent.span_id), None)


def ancestors(spans: list[ReadableSpan], span: ReadableSpan) -> list[ReadableSpan]:
    out, current = [], parent_of(spans, span)
    while current is not None:
        out.append(current)
        current = parent_of(spans, current)
    return out
