"""What every service's OpenAPI document gets on top of FastAPI's: the one shared `Problem`
schema every error answer refers to (instead of FastAPI's English `HTTPValidationError`, which
our error handlers never send), the bearer scheme, and operationIds that are the route
functions' names, so they stay stable when a path or a tag changes."""
from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from pfdo_kit.errors import FIELD_ERROR_SCHEMA, PROBLEM_JSON, PROBLEM_REF, PROBLEM_SCHEMA

BEARER = "bearer"
BEARER_SCHEME = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                 "description": "Токен доступа из POST /api/v1/auth/token"}
_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")


def operation_id(route: APIRoute) -> str:
    return route.name


def _problem_answers(doc: dict) -> None:
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for answer in operation.get("responses", {}).values():
                content = answer.get("content", {})
                schema = content.get("application/json", {}).get("schema", {})
                if schema.get("$ref", "").endswith("/HTTPValidationError"):
                    answer["description"] = "Проверьте введённые данные"
                    answer["content"] = {PROBLEM_JSON: {"schema": dict(PROBLEM_REF)}}


def _optional_auth(doc: dict) -> None:
    """`bearer_optional` (pfdo_kit/auth.py): the operation answers with a token or without one."""
    for item in doc.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and {"bearer_optional": []} in operation.get("security", []):
                required = {BEARER: []} in operation["security"]
                operation["security"] = [{BEARER: []}] if required else [{BEARER: []}, {}]
    doc.get("components", {}).get("securitySchemes", {}).pop("bearer_optional", None)


def finish_document(doc: dict[str, Any]) -> dict[str, Any]:
    _problem_answers(doc)
    _optional_auth(doc)
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    text = json.dumps(doc)
    for name in _FASTAPI_ERROR_SCHEMAS:
        if f'"#/components/schemas/{name}"' not in text:
            schemas.pop(name, None)
    schemas["Problem"], schemas["FieldError"] = PROBLEM_SCHEMA, FIELD_ERROR_SCHEMA
    components.setdefault("securitySchemes", {})[BEARER] = BEARER_SCHEME
    return doc


def install_openapi(app: FastAPI, description: str | None = None) -> None:
    """Replace the app's document builder with one that finishes the document (once, cached)."""
    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = finish_document(get_openapi(
                title=app.title, version=app.version, description=description or app.description,
                routes=app.routes))
        return app.openapi_schema
    app.openapi = openapi
