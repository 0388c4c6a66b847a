"""Without a tracer provider the server-span middleware only continues the caller's trace context
(pfdo_kit/server_spans.py): what the request's code sees as its current trace is the caller's."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry import trace

from pfdo_kit import tracing
from pfdo_kit.server_spans import ServerSpans, recording

PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def _app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(ServerSpans, excluded_urls=tracing.UNTRACED_PATHS)

    @app.get("/carrier")
    def carrier() -> dict:
        return {"carrier": tracing.current_carrier()}

    return app


def test_the_callers_trace_is_current_inside_the_request():
    if recording():  # another test of this process installed an SDK provider: then OTel's middleware runs
        return
    client = TestClient(_app())
    r = client.get("/carrier", headers={"traceparent": PARENT, "tracestate": "pfdo=1"})
    assert r.json()["carrier"] == {"traceparent": PARENT, "tracestate": "pfdo=1"}
    assert client.get("/carrier").json()["carrier"] is None
    assert trace.get_current_span().get_span_context().is_valid is False, "nothing left attached"
