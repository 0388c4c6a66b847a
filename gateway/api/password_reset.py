"""Password reset by e-mail: asking for a link (always 202, whatever the address) and setting
the new password with the link's token."""
from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from gateway.api.auth import client_address
from gateway.api.schemas import PasswordResetConfirmIn, PasswordResetIn
from gateway.flows import password_resets
from pfdo_kit.dependencies import CurrentClock, Runtime
from pfdo_kit.errors import ProblemError, problem_responses

router = APIRouter(prefix="/api/v1", tags=["auth"])


@router.post("/auth/password-reset", status_code=status.HTTP_202_ACCEPTED, response_class=Response,
             summary="Прислать ссылку для смены пароля",
             description="Письмо со ссылкой уходит на адрес, если такая учётная запись есть; ответ 202 одинаков "
                         "в обоих случаях, чтобы по нему нельзя было узнать, зарегистрирован ли адрес. Ссылка "
                         "действует ограниченное время; частые запросы — 429 с Retry-After.",
             responses=problem_responses(400, 422, 429))
async def request_password_reset(body: PasswordResetIn, request: Request, rt: Runtime, clock: CurrentClock) -> Response:
    """The same answer whether or not an account has this address."""
    state, address = request.app.state, client_address(request)
    if wait := await state.reset_throttle.address_blocked_for(address):
        raise ProblemError(429, "too-many-requests", "Слишком много запросов, попробуйте позже",
                           headers={"Retry-After": str(int(wait) + 1)})
    if await state.reset_throttle.admit(body.email.lower(), address):
        async with rt.sessions() as session, session.begin():
            await password_resets.request_reset(session, rt.outbox, body.email, clock.now(),
                                                state.settings.password_reset_ttl_s)
    return Response(status_code=status.HTTP_202_ACCEPTED)


@router.post("/auth/password-reset/confirm", status_code=status.HTTP_204_NO_CONTENT, response_class=Response,
             summary="Задать новый пароль по ссылке из письма",
             description="token — из ссылки в письме, действует один раз. После смены пароля все сеансы учётной "
                         "записи завершаются: войдите заново. Истёкший или использованный токен — 422 на поле token.",
             responses=problem_responses(400, 422))
async def confirm_password_reset(body: PasswordResetConfirmIn, request: Request, rt: Runtime,
                           clock: CurrentClock) -> Response:
    async with rt.sessions() as session, session.begin():
        account = await password_resets.confirm_reset(session, body.token, body.new_password, clock.now())
    await request.app.state.login_throttle.succeeded(account.email)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
