"""The keys, the whole API's OpenAPI document and the AsyncAPI document of the events."""
from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.asyncapi import asyncapi_document

router = APIRouter(tags=["docs"])


@router.get("/.well-known/jwks.json", summary="Ключи подписи токенов (JWKS)",
            description="Открытые ключи, которыми сервисы проверяют подпись токенов доступа.")
async def get_jwks(request: Request) -> dict:
    return request.app.state.signer.jwks()


@router.get("/asyncapi.json", summary="События шины (AsyncAPI 3.0)",
            description="Документ AsyncAPI 3.0 всех событий шины RabbitMQ: каналы, сообщения, привязки AMQP.")
async def get_asyncapi() -> dict:
    return asyncapi_document()
