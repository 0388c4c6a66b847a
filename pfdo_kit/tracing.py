"""OpenTelemetry traces across HTTP and the bus: one trace from the gateway through every consumer of a
saga.

- HTTP: each process's server spans (the ASGI middleware, continuing an incoming `traceparent`); the
  gateway's client spans towards the services (aiohttp), which send `traceparent` on.
- The bus: `Outbox.add` keeps the trace of the transaction that staged an event (its `trace_context`
  column), the relay sends it in the message's headers, and the consumer continues it in a span of its
  own, in which the events its handler stages are staged in turn.

Exported by OTLP (HTTP/protobuf) when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `..._TRACES_ENDPOINT`) is set;
the standard `OTEL_*` variables tune it (`OTEL_SERVICE_NAME`, `OTEL_TRACES_SAMPLER`…). Unset: no span is
recorded, but an incoming trace is still passed on (the API's no-op tracer keeps the parent)."""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from opentelemetry import context, propagate, trace
from opentelemetry.trace import SpanKind

TRACER = "pfdo"
EXPORT_VARIABLES = ("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
# Probes and scrapes make no traces worth keeping.
UNTRACED_PATHS = "/health,/metrics"


def configure(service: str) -> None:
    """Install the OTLP exporter once per process, when configured; never replace a provider already set
    (a test's in-memory one, or the process's own after its first app)."""
    if not any(os.environ.get(v) for v in EXPORT_VARIABLES):
        return
    if not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider):
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME") or f"pfdo-{service}",
                                "service.namespace": "pfdo"})
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)


def current_carrier() -> dict[str, str] | None:
    """The current trace as W3C headers (traceparent, tracestate), or None outside any trace."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier or None


@contextmanager
def consuming(consumer: str, routing_key: str, headers: Mapping[str, object] | None) -> Iterator[trace.Span]:
    """A consumer's span, continuing the trace the message's headers carry."""
    carrier = {k: v.decode() if isinstance(v, bytes) else str(v) for k, v in (headers or {}).items()
               if k in ("traceparent", "tracestate")}
    parent = propagate.extract(carrier)
    token = context.attach(parent)
    try:
        with trace.get_tracer(TRACER).start_as_current_span(
                f"{routing_key} process", kind=SpanKind.CONSUMER,
                attributes={"messaging.system": "rabbitmq", "messaging.operation.type": "process",
                            "messaging.destination.name": routing_key, "messaging.consumer.group.name": consumer},
        ) as span:
            yield span
    finally:
        context.detach(token)
