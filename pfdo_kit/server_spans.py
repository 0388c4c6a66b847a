"""A server span for every request (OpenTelemetry's ASGI middleware, continuing the caller's
`traceparent`) — only while spans are recorded.

With no SDK tracer provider installed (`pfdo_kit/tracing.py`: no OTLP endpoint configured) every span is
a no-op, and all OpenTelemetry's middleware still achieves is to make the caller's trace context current,
so that the outbox and the calls to other services pass it on; yet it cost ~80–120 µs of CPU per request
(attributes collected, receive and send wrapped, duration metrics filtered: bench/http_ops.py). Then this
middleware only makes the caller's context current, read by the same global propagator. Asked per
request, so a provider installed later (a test's in-memory one) is used from its next request on."""
from __future__ import annotations

from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.propagators import get_global_response_propagator
from starlette.types import ASGIApp, Receive, Scope, Send


def recording() -> bool:
    """Is a real tracer provider installed (or a response propagator that writes headers)?"""
    return (not isinstance(trace.get_tracer_provider(), trace.ProxyTracerProvider)
            or get_global_response_propagator() is not None)


class ServerSpans:
    def __init__(self, app: ASGIApp, excluded_urls: str) -> None:
        self.app = app
        self.spans = OpenTelemetryMiddleware(app, excluded_urls=excluded_urls)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or recording():
            await self.spans(scope, receive, send)
            return
        fields = propagate.get_global_textmap().fields
        carrier: dict[str, str] = {}
        for raw, value in scope["headers"]:
            if (name := raw.decode("latin-1").lower()) in fields and name not in carrier:  # the first, as OTel's
                carrier[name] = value.decode("latin-1")
        if not carrier:
            await self.app(scope, receive, send)
            return
        token = context.attach(propagate.extract(carrier))
        try:
            await self.app(scope, receive, send)
        finally:
            context.detach(token)
