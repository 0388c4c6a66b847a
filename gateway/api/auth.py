"""Registering, logging in and out, and reading one's own account: each route translates the
request into a flow or query call."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from gateway.api.schemas import AccountOut, LogoutIn, RegisterIn, TokenIn, TokenOut
from gateway.flows import accounts, sessions
from gateway.queries.accounts import own
from pfdo_kit.dependencies import CurrentClock, CurrentPrincipal, Runtime
from pfdo_kit.errors import invalid, problem_responses

router = APIRouter(prefix="/api/v1", tags=["auth"])


def client_address(request: Request) -> str:
    """The caller's address: behind our own proxies (GATEWAY_TRUSTED_PROXIES: the ingress, the Navigator)
    the client's they forward, read once for the whole app (pfdo_kit/proxies.py)."""
    return request.client.host if request.client else "unknown"


@router.post("/auth/register", status_code=status.HTTP_201_CREATED, response_model=AccountOut,
             summary="Зарегистрироваться (родитель или сотрудник поставщика)",
             description="Создаёт учётную запись родителя (по умолчанию) или сотрудника поставщика. Муниципалитет — "
                         "код из GET /api/v1/municipalities; неизвестный код — 422 на поле municipality. Пароль: "
                         "не короче 10 символов, не из списка частых. Тот же адрес второй раз — 409 account-exists. "
                         "Сотрудник поставщика получает права поставщика, когда оператор одобрит поданную им заявку "
                         "поставщика. После регистрации войдите: POST /api/v1/auth/token.",
             responses=problem_responses(400, 409, 422))
async def register_account(body: RegisterIn, request: Request, rt: Runtime):
    async with rt.sessions() as session, session.begin():
        return AccountOut.model_validate(
            await accounts.register(session, rt.outbox, body, request.app.state.settings.municipalities))


@router.post("/auth/token", response_model=TokenOut,
             summary="Войти: получить токен доступа",
             description="grant_type=password — по адресу и паролю; grant_type=refresh_token — обменять "
                         "refresh-токен на новую пару (старый refresh-токен больше не действует). access_token "
                         "передавайте в заголовке `Authorization: Bearer …`; он действует expires_in секунд. Неверные "
                         "адрес или пароль — 401 (одинаково, есть такая учётная запись или нет); после нескольких "
                         "неудачных попыток — 429 с заголовком Retry-After.",
             responses=problem_responses(400, 401, 422, 429))
async def issue_token(body: TokenIn, request: Request, rt: Runtime, clock: CurrentClock):
    state = request.app.state
    issuer = sessions.Issuer(state.signer, state.settings.refresh_ttl_s, clock.now())
    if body.grant_type == "refresh_token":
        if not body.refresh_token:
            raise invalid("refresh_token", "Нужен refresh_token")
        async with rt.sessions() as session, session.begin():
            tokens = await sessions.with_refresh_token(session, issuer, body.refresh_token)
    else:
        if not body.email or not body.password:
            raise invalid("email" if not body.email else "password", "Укажите адрес и пароль")
        async with rt.sessions() as session, session.begin():
            tokens = await sessions.with_password(session, issuer, state.login_throttle, body.email, body.password,
                                                  client_address(request))
    return TokenOut(access_token=tokens.access_token, expires_in=tokens.expires_in,
                    refresh_token=tokens.refresh_token)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="Выйти",
             description="Refresh-токен (или, с all_sessions=true, все сеансы учётной записи) перестаёт "
                         "действовать. Уже выданный access-токен доживает свой короткий срок. Неизвестный или уже "
                         "отозванный refresh-токен — тоже 204: повтор выхода безопасен.",
             responses=problem_responses(400, 422))
async def log_out(body: LogoutIn, rt: Runtime, clock: CurrentClock) -> Response:
    async with rt.sessions() as session, session.begin():
        await sessions.log_out(session, body.refresh_token, body.all_sessions, clock.now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/me", response_model=AccountOut, summary="Моя учётная запись",
            description="Учётная запись того, чей токен: роль, муниципалитет, поставщик (для его сотрудников).",
            responses=problem_responses(401, 404))
async def get_my_account(principal: CurrentPrincipal, rt: Runtime):
    async with rt.reads() as session:
        return AccountOut.model_validate(await own(session, principal))
