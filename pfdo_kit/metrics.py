"""Prometheus metrics shared by every service.

With several uvicorn workers each worker is its own process: every one writes its values under
PROMETHEUS_MULTIPROC_DIR (`serve` makes one when the variable is unset) and a scrape, whichever worker
answers it, adds up all of them (counters and histograms summed; the gauges read from the database or the
broker on scrape take the most recent reading)."""
from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

HTTP_REQUESTS = Counter("pfdo_http_requests_total", "HTTP requests", ["method", "route", "status"])
HTTP_LATENCY = Histogram("pfdo_http_request_seconds", "HTTP request latency", ["method", "route"])
BUS_MESSAGES = Counter("pfdo_bus_messages_total", "Messages handled by consumers", ["consumer", "outcome"])
BUS_DEAD_LETTERS_WAITING = Gauge(
    "pfdo_bus_dead_letter_queue_messages", "Messages now in a consumer's dead-letter queue (read on scrape)",
    ["consumer", "queue"], multiprocess_mode="mostrecent",
)
OUTBOX_PUBLISHED = Counter("pfdo_outbox_published_total", "Events published from the outbox")
OUTBOX_FAILURES = Counter("pfdo_outbox_publish_failures_total", "Failed outbox publish batches")
OUTBOX_UNSENT = Gauge("pfdo_outbox_unsent_events", "Events committed to the outbox and not yet published (read on "
                      "scrape)", multiprocess_mode="mostrecent")
OUTBOX_OLDEST_UNSENT = Gauge("pfdo_outbox_oldest_unsent_age_seconds", "Age of the oldest unpublished event, 0 when "
                             "none (read on scrape)", multiprocess_mode="mostrecent")


_REQUEST_SERIES: dict[tuple[str, str, int], tuple] = {}  # (method, route, status) → (counter, histogram)


def count_request(scope: Scope, status: int, seconds: float) -> None:
    """One answered request in pfdo_http_requests_total and pfdo_http_request_seconds, by the route's
    template ("unmatched" when no route took it). The labelled series are looked up once each:
    `labels()` takes a lock and builds its key on every call."""
    route = getattr(scope.get("route"), "path", "unmatched")
    key = (scope["method"], route, status)
    if (series := _REQUEST_SERIES.get(key)) is None:
        series = _REQUEST_SERIES[key] = (HTTP_REQUESTS.labels(key[0], route, str(status)),
                                         HTTP_LATENCY.labels(key[0], route))
    series[0].inc()
    series[1].observe(seconds)


def scrape() -> bytes:
    """This process's metrics, or every worker's added up in multiprocess mode."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)


async def metrics_endpoint(request: Request) -> Response:
    runtime = getattr(request.app.state, "runtime", None)  # a service's ServiceRuntime, once started
    if runtime is not None:
        await runtime.refresh_gauges()
    return Response(scrape(), media_type=CONTENT_TYPE_LATEST)
