"""The keys, the whole API's OpenAPI document and the AsyncAPI document of the events."""
from __future__ import annotations

from fastapi import APIRouter, Request

from gateway.asyncapi import asyncapi_document

router = APIRouter(tags=["docs"])


@router.get("/.well-known/jwks.json", summary="Ключи подписи токенов (JWKS)")
async def jwks(request: Request) -> dict:
    return request.app.state.signer.jwks()


@router.get("/asyncapi.json", summary="События шины (AsyncAPI)")
async def asyncapi() -> dict:
    return asyncapi_document()
