"""RFC 9457 problem details: a stable `type`, a Russian `title`, the field at fault."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from pfdo_kit import context

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_PREFIX = "urn:pfdo:problem:"


class ProblemError(Exception):
    """Raise from anywhere in a request to answer with a problem document."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str | None = None,
        field: str | None = None,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status, self.slug, self.title = status, slug, title
        self.detail, self.field, self.errors, self.headers = detail, field, errors, headers


# The problem document as the OpenAPI documents declare it: one shared component, `Problem`
# (pfdo_kit/openapi.py adds it to every document), referenced by every error answer.
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "Ошибка в формате RFC 9457 (application/problem+json)",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "urn:pfdo:problem:<slug> — постоянный код ошибки",
                 "examples": ["urn:pfdo:problem:validation"]},
        "title": {"type": "string", "description": "По-русски, для показа пользователю",
                  "examples": ["Проверьте введённые данные"]},
        "status": {"type": "integer", "examples": [422]},
        "instance": {"type": "string"},
        "detail": {"type": "string"},
        "field": {"type": "string", "description": "Поле, в котором ошибка", "examples": ["birth_date"]},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}},
        "request_id": {"type": "string"},
    },
}
FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "FieldError",
    "type": "object",
    "required": ["field", "message"],
    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
}
_MEANINGS = {
    400: "Некорректный запрос: тело не читается как JSON",
    401: "Нет входа в систему или токен недействителен",
    403: "Недостаточно прав",
    404: "Объект не найден или недоступен вам",
    409: "Состояние объекта не позволяет это действие",
    413: "Слишком большой запрос",
    422: "Проверьте введённые данные",
    429: "Слишком много запросов",
    502: "Сервис за шлюзом недоступен",
    504: "Сервис за шлюзом не ответил вовремя",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` declaring these statuses as problem documents."""
    return {status: {"description": _MEANINGS[status], "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}}}
            for status in statuses}


# What any route of a service's /api/v1 may answer besides its success: a body that is not even
# text (400), a missing or bad token (401), no right (403), no such object or not yours (404), a
# state that forbids it (409), bad input (422).
API_ERRORS = problem_responses(400, 401, 403, 404, 409, 422)


def not_found(what: str = "Объект не найден") -> ProblemError:
    return ProblemError(404, "not-found", what)


def conflict(slug: str, title: str, detail: str | None = None, field: str | None = None) -> ProblemError:
    return ProblemError(409, slug, title, detail, field)


def invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        422, "validation", "Проверьте введённые данные", message, field, [{"field": field, "message": message}]
    )


_RU_MESSAGES = {
    "missing": "Обязательное поле",
    "extra_forbidden": "Неизвестное поле",
    "string_too_short": "Слишком короткое значение",
    "string_too_long": "Слишком длинное значение",
    "string_pattern_mismatch": "Неверный формат",
    "string_type": "Ожидается строка",
    "int_parsing": "Ожидается целое число",
    "int_type": "Ожидается целое число",
    "bool_parsing": "Ожидается да или нет",
    "date_parsing": "Неверная дата, ожидается ГГГГ-ММ-ДД",
    "date_from_datetime_parsing": "Неверная дата, ожидается ГГГГ-ММ-ДД",
    "datetime_parsing": "Неверные дата и время",
    "uuid_parsing": "Неверный идентификатор",
    "literal_error": "Недопустимое значение",
    "enum": "Недопустимое значение",
    "greater_than": "Значение слишком мало",
    "greater_than_equal": "Значение слишком мало",
    "less_than": "Значение слишком велико",
    "less_than_equal": "Значение слишком велико",
    "json_invalid": "Некорректный JSON",
    "model_attributes_type": "Ожидается объект",
    "dict_type": "Ожидается объект",
    "list_type": "Ожидается список",
}


# Libraries' own ValueErrors (English), by how their message starts.
_RU_LIBRARY_MESSAGES = {
    "value is not a valid email address": "Неверный адрес электронной почты",
}


def russian_message(error: dict[str, Any]) -> str:
    if error["type"] == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        if _has_cyrillic(message):  # our own validators raise ValueError with a Russian message
            return message
        text = error["msg"].removeprefix("Value error, ")
        return next((ru for en, ru in _RU_LIBRARY_MESSAGES.items() if text.startswith(en)), "Неверное значение")
    return _RU_MESSAGES.get(error["type"], "Неверное значение")


def _has_cyrillic(text: str) -> bool:
    return any("а" <= ch.lower() <= "я" or ch in "ёЁ" for ch in text)


def field_name(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def problem_response(request: Request, exc: ProblemError) -> JSONResponse:
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + exc.slug,
        "title": exc.title,
        "status": exc.status,
        "instance": request.url.path,
    }
    if exc.detail:
        body["detail"] = exc.detail
    if exc.field:
        body["field"] = exc.field
    if exc.errors:
        body["errors"] = exc.errors
    if (rid := context.request_id.get()) is not None:
        body["request_id"] = rid
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else {}
    headers.update(exc.headers or {})
    return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


_HTTP_TITLES = {
    400: ("bad-request", "Некорректный запрос"),
    401: ("unauthorized", "Требуется вход в систему"),
    403: ("forbidden", "Недостаточно прав"),
    404: ("not-found", "Объект не найден"),
    405: ("method-not-allowed", "Метод не поддерживается"),
    413: ("too-large", "Слишком большой запрос"),
}


# PostgreSQL's character_not_in_repertoire / untranslatable_character: text with a NUL character
# (valid JSON and a valid URL, but no PostgreSQL text may hold it) is bad input, not a failure.
_UNSTORABLE_TEXT = {"22021", "22P05"}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        if any(e["type"] == "json_invalid" for e in exc.errors()):  # the body is not JSON: no field is at fault
            return problem_response(request, ProblemError(
                400, "bad-request", "Некорректный запрос: тело не читается как JSON", field="body"))
        errors = [{"field": field_name(e["loc"]), "message": russian_message(e)} for e in exc.errors()]
        first = errors[0] if errors else {"field": "body", "message": "Неверные данные"}
        return problem_response(
            request,
            ProblemError(422, "validation", "Проверьте введённые данные", first["message"], first["field"], errors),
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title = _HTTP_TITLES.get(exc.status_code, ("http-error", "Ошибка запроса"))
        return problem_response(request, ProblemError(exc.status_code, slug, title))

    @app.exception_handler(DBAPIError)
    async def _database(request: Request, exc: DBAPIError) -> JSONResponse:
        if getattr(exc.orig, "sqlstate", None) in _UNSTORABLE_TEXT:
            return problem_response(request, ProblemError(
                422, "validation", "Проверьте введённые данные", "Текст содержит недопустимый символ (NUL)"))
        return await _unhandled(request, exc)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", extra={"path": request.url.path})
        return problem_response(
            request, ProblemError(500, "internal", "Внутренняя ошибка сервиса, попробуйте позже")
        )
