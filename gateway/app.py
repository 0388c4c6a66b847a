"""The gateway: `uvicorn --factory gateway.app:create_app` (port 8000)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.middleware import Middleware

from gateway.api.accounts_admin import router as accounts_router
from gateway.api.auth import router as auth_router
from gateway.api.cabinet import router as cabinet_router
from gateway.api.docs import router as docs_router
from gateway.api.municipalities import router as municipalities_router
from gateway.api.password_reset import router as password_reset_router
from gateway.api.platform import router as platform_router
from gateway.api.proxy import router as proxy_router
from gateway.handlers import CONSUMERS
from gateway.jobs.upstream_docs import UpstreamDocs
from gateway.models import messaging
from gateway.openapi_merge import merge
from gateway.public_fast_path import ServeFreshPublicAnswers
from gateway.response_cache import ResponseCache
from gateway.settings import GatewaySettings
from gateway.throttle import Limiter, LoginThrottle, ResetThrottle, Window, shared_storage
from gateway.tokens import Signer
from gateway.upstreams import Upstreams
from pfdo_kit.app import create_service_app
from pfdo_kit.openapi import finish_document
from pfdo_kit.settings import load_settings


def create_app(settings: GatewaySettings | None = None, upstreams: Upstreams | None = None) -> FastAPI:
    settings = settings or load_settings(GatewaySettings)
    signer = Signer(settings.signing_key_pem, settings.key_id, settings.jwt_issuer, settings.jwt_audience,
                    settings.access_ttl_s)
    if signer.public_pem not in settings.jwt_public_keys:  # the gateway checks its own tokens too
        settings = settings.model_copy(update={"jwt_public_keys": [*settings.jwt_public_keys, signer.public_pem]})
    upstreams = upstreams or Upstreams.from_settings(settings)
    upstream_docs = UpstreamDocs(upstreams)

    app = create_service_app(
        service="gateway",
        title="PFDO — API платформы ПФДО",
        settings=settings,
        tables=messaging,
        routers=[auth_router, password_reset_router, cabinet_router, accounts_router, municipalities_router, docs_router,
                 platform_router, proxy_router],
        consumers=CONSUMERS,
        background=[upstream_docs.keep_fresh],
    )
    _close_at_stop(app, upstreams)
    # app.state.clock (create_service_app: from the settings' timezone and clock_date) is the
    # gateway's one clock: token lifetimes and refresh-token expiry are counted on it.
    app.state.signer, app.state.upstreams = signer, upstreams
    app.state.public_answers = ResponseCache(settings.public_cache_entries)
    # Last in the list: the innermost middleware, inside request ids and metrics.
    app.user_middleware.append(Middleware(ServeFreshPublicAnswers, cache=app.state.public_answers,
                                          route=proxy_router.routes[0]))
    # One limiter over the store every gateway process shares (its keys named by the installation).
    limiter = Limiter(shared_storage(settings.rate_limit_storage_url), f"pfdo:{settings.district}")
    app.state.login_throttle = LoginThrottle(limiter, settings.login_failures_per_account,
                                             settings.login_failures_per_address, settings.login_window_s)
    app.state.reset_throttle = ResetThrottle(limiter, settings.password_resets_per_address,
                                             settings.password_resets_per_email, settings.password_reset_window_s)
    app.state.writes = Window(limiter, "writes", settings.writes_per_minute, 60)

    def own_openapi() -> dict:
        return finish_document(get_openapi(title=app.title, version=app.version, routes=app.routes))

    def openapi() -> dict:
        return merge(own_openapi(), upstream_docs.documents)

    app.state.own_openapi = own_openapi
    app.openapi = openapi
    return app


def _close_at_stop(app: FastAPI, upstreams: Upstreams) -> None:
    """The pooled upstream client closes when the app's lifespan ends: after the service's own
    shutdown, whose background jobs still use it until they are cancelled."""
    service_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with service_lifespan(app):
                yield
        finally:
            await upstreams.close()

    app.router.lifespan_context = lifespan
