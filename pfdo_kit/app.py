"""The FastAPI factory every service uses."""
from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi_offline import FastAPIOffline

from pfdo_kit import gc_tuning, health, tracing
from pfdo_kit.auth import TokenVerifier
from pfdo_kit.bus.consumer import ConsumerSpec
from pfdo_kit.edge import EdgeMiddleware
from pfdo_kit.errors import install_error_handlers
from pfdo_kit.logs import configure_logging
from pfdo_kit.messaging_tables import MessagingTables
from pfdo_kit.metrics import metrics_endpoint
from pfdo_kit.openapi import install_openapi, operation_id
from pfdo_kit.proxies import ProxyHeadersMiddleware
from pfdo_kit.retention import run_retention
from pfdo_kit.runtime import ServiceRuntime, clock_from
from pfdo_kit.server_spans import ServerSpans
from pfdo_kit.settings import ServiceSettings


def create_service_app(
    *,
    service: str,
    title: str,
    settings: ServiceSettings,
    tables: MessagingTables,
    routers: Sequence[APIRouter],
    consumers: Sequence[ConsumerSpec] = (),
    background: Sequence[Callable[[ServiceRuntime], Awaitable[None]]] = (),
    gauges: Sequence[Callable[[ServiceRuntime], Awaitable[None]]] = (),
) -> FastAPI:
    """`gauges`: the service's own gauges, read on each scrape of /metrics."""
    if settings.log_json:
        configure_logging(service, settings.log_level)
    tracing.configure(service)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runtime = ServiceRuntime(service, settings, tables, consumers, [*background, run_retention],
                                 clock=app.state.clock, gauges=gauges)
        app.state.runtime = runtime
        await runtime.start()
        gc_tuning.settle_after_startup()
        try:
            yield
        finally:
            await runtime.stop()

    # FastAPIOffline: /docs and /redoc load Swagger UI and ReDoc from the package, not from a CDN.
    app = FastAPIOffline(title=title, version="1", lifespan=lifespan, generate_unique_id_function=operation_id,
                         static_url="/docs-assets")
    app.state.settings = settings
    app.state.clock = clock_from(settings)  # tests pin it: app.state.clock.pin(date(...))
    app.state.consumer_specs = list(consumers)  # the dead-letters command reads the queues from here
    app.state.verifier = TokenVerifier(settings.jwt_public_keys, settings.jwt_issuer, settings.jwt_audience,
                                       settings.jwt_jwks_url)
    install_error_handlers(app)
    app.add_middleware(ServerSpans, excluded_urls=tracing.UNTRACED_PATHS)  # continues a traceparent
    if settings.trusted_proxies:  # everything inside sees the client's address
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    # Outermost: /metrics, /health, /docs, /openapi.json judged by the connection's own peer; then the
    # request's ids and its metrics around everything else.
    app.add_middleware(EdgeMiddleware, networks=list(settings.internal_networks), verifier=app.state.verifier)
    app.include_router(health.router)
    app.add_route("/metrics", metrics_endpoint, include_in_schema=False)
    for router in routers:
        app.include_router(router)
    install_openapi(app)
    return app
