"""The gateway's merged OpenAPI document, once every service's part has been loaded into it."""
from __future__ import annotations

import httpx

from gateway.openapi_merge import NOT_YET_LOADED
from tests.support.waiting import eventually

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


async def merged_openapi(gateway_url: str) -> dict:
    doc: dict = {}

    async def complete() -> bool:
        async with httpx.AsyncClient() as http:
            doc.update((await http.get(gateway_url + "/openapi.json")).json())
        return NOT_YET_LOADED not in doc["info"].get("description", "")
    await eventually(complete, timeout_s=30, interval_s=0.5, what="every service's paths in the gateway's OpenAPI")
    return doc


def operations(doc: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in doc["paths"].items() for method in item if method in METHODS}
