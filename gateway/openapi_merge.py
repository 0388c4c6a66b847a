"""One OpenAPI document for the whole API: the gateway's own paths plus every service's
`/api/v1` paths, their schemas prefixed with the service's name so equal names never clash."""
from __future__ import annotations

import json

from gateway.domain.routes import SERVICES
from pfdo_kit.errors import problem_responses

REF = "#/components/schemas/"
# What the gateway itself may answer in front of a service: the service down or too slow, and
# for writes a body too large or too many writes in a minute.
FORWARDED = {str(k): v for k, v in problem_responses(502, 504).items()}
WRITE_LIMITS = {str(k): v for k, v in problem_responses(413, 429).items()}


def prefixed(service: str, doc: dict) -> tuple[dict, dict]:
    """(paths, schemas) of a service's document with every schema renamed `<Service><Name>`."""
    tag = service.capitalize()
    text = json.dumps(doc, ensure_ascii=False).replace(f'"{REF}', f'"{REF}{tag}')
    renamed = json.loads(text)
    paths = {p: item for p, item in renamed.get("paths", {}).items() if p.startswith("/api/v1/")}
    schemas = {tag + name: schema for name, schema in renamed.get("components", {}).get("schemas", {}).items()}
    return paths, schemas


def with_gateway_answers(paths: dict) -> dict:
    """The services' operations as the gateway serves them: plus its own error answers."""
    for item in paths.values():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].update(FORWARDED | (WRITE_LIMITS if method != "get" else {}))
    return paths


def merge(own: dict, upstream: dict[str, dict]) -> dict:
    merged = json.loads(json.dumps(own))
    merged.setdefault("components", {}).setdefault("schemas", {})
    for service in SERVICES:
        if service in upstream:
            paths, schemas = prefixed(service, upstream[service])
            merged["paths"].update(with_gateway_answers(paths))
            merged["components"]["schemas"].update(schemas)
    missing = [s for s in SERVICES if s not in upstream]
    if missing:
        merged["info"]["description"] = "Not yet loaded from: " + ", ".join(missing)
    return merged

