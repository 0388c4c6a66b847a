"""The Navigator's FastAPI application: pages rendered on the server from the gateway's public API."""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from navigator.forms import FormTooLarge
from navigator.gateway import ApiProblem, Gateway
from navigator.pages import ROUTERS
from navigator.roles import CABINET_NAMES, ROLE_NAMES, SECTIONS, WrongRole, home_of
from navigator.security import SECURITY_HEADERS, CsrfError
from navigator.session import COOKIE, SessionCodec
from navigator.settings import NavigatorSettings
from navigator.web import LoginRequired, env, login_url, page, redirect
from pfdo_kit.clock import Clock
from pfdo_kit.proxies import ProxyHeadersMiddleware

log = logging.getLogger("navigator")
env.globals.update(home_of=home_of, SECTIONS=SECTIONS, ROLE_NAMES=ROLE_NAMES, CABINET_NAMES=CABINET_NAMES)
STATIC = Path(__file__).parent / "static"


def create_app(settings: NavigatorSettings | None = None) -> FastAPI:
    settings = settings or NavigatorSettings()
    codec = SessionCodec(settings.session_secret)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.gateway = Gateway(settings.gateway_url, settings.gateway_timeout_s, settings.gateway_connections)
        try:
            yield
        finally:
            await app.state.gateway.close()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.lookups = {}
    app.state.clock = Clock(settings.timezone, settings.clock_date)  # the request's day and month (pinned in tests)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.middleware("http")
    async def session_and_headers(request: Request, call_next):
        session = codec.load(request.cookies.get(COOKIE), settings.session_max_age_s)
        request.state.session = session
        response = await call_next(request)
        if session.modified:
            secure = settings.cookie_secure if settings.cookie_secure is not None else request.url.scheme == "https"
            if session:
                response.set_cookie(COOKIE, codec.dump(session), max_age=settings.session_max_age_s, httponly=True,
                                    secure=secure, samesite="lax", path="/")
            else:
                response.delete_cookie(COOKIE, path="/", httponly=True, secure=secure, samesite="lax")
        if response.headers.get("content-type", "").startswith("application/pdf"):
            # The browser's own PDF viewer shows it: a page policy (object-src 'none') would block the viewer.
            response.headers.update({k: v for k, v in SECURITY_HEADERS.items() if k != "Content-Security-Policy"})
        else:
            response.headers.update(SECURITY_HEADERS)
        if request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "public, max-age=86400"
        else:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired):
        return redirect(login_url(request))

    @app.exception_handler(WrongRole)
    async def _wrong_role(request: Request, exc: WrongRole):
        return page(request, "errors/error.html", 403, heading="Раздел недоступен",
                    text="Этот раздел — для сотрудников с другой ролью. Ваш кабинет — по ссылке ниже.",
                    back=home_of(request.state.session.get("account")))

    @app.exception_handler(CsrfError)
    async def _csrf(request: Request, exc: CsrfError):
        return page(request, "errors/error.html", 403, heading="Форма устарела",
                    text="Обновите страницу и отправьте форму ещё раз.")

    @app.exception_handler(FormTooLarge)
    async def _too_large(request: Request, exc: FormTooLarge):
        return page(request, "errors/error.html", 413, heading="Форма слишком большая",
                    text="Форма слишком большая: сохраните её частями (например, журнал — по неделям) или "
                         "обратитесь в поддержку.")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        # A malformed id in the address (not a UUID) names no page; another bad parameter is a bad request.
        if any((e.get("loc") or ("",))[0] == "path" for e in exc.errors()):
            return page(request, "errors/error.html", 404, heading="Страница не найдена",
                        text="Такой страницы нет. Проверьте адрес.")
        return page(request, "errors/error.html", 422, heading="Ошибка запроса",
                    text="В адресе страницы неверный параметр. Проверьте адрес.")

    @app.exception_handler(ApiProblem)
    async def _api(request: Request, exc: ApiProblem):
        if exc.status == 401:
            request.state.session.clear()
            return redirect(login_url(request))
        if exc.status == 404:
            return page(request, "errors/error.html", 404, heading="Страница не найдена",
                        text="Такой страницы нет, или она доступна только её владельцу.")
        status = 503 if exc.status >= 500 else exc.status
        return page(request, "errors/error.html", status, heading="Не получилось", text=exc.title)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 404:
            return page(request, "errors/error.html", 404, heading="Страница не найдена",
                        text="Такой страницы нет. Проверьте адрес или начните с каталога.")
        return page(request, "errors/error.html", exc.status_code, heading="Ошибка запроса",
                    text="Запрос не получилось выполнить.")

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("page failed: %s %s", request.method, request.url.path)
        return page(request, "errors/error.html", 500, heading="Что-то пошло не так",
                    text="Мы уже знаем об ошибке. Попробуйте ещё раз чуть позже.")

    @app.get("/health/live", include_in_schema=False)
    async def live():
        return JSONResponse({"status": "ok", "service": "navigator"})

    @app.get("/health/ready", include_in_schema=False)
    async def ready():
        return JSONResponse({"status": "ok", "service": "navigator"})

    @app.get("/robots.txt", include_in_schema=False)
    async def robots():
        return HTMLResponse("User-agent: *\nDisallow: /cabinet\n", media_type="text/plain")

    for router in ROUTERS:
        app.include_router(router)
    if settings.trusted_proxies:  # behind the ingress: the visitor's address, which the gateway's throttles count
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.trusted_proxies))
    return app
