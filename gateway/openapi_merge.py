"""One OpenAPI document for the whole API: the gateway's own paths plus every service's
`/api/v1` paths and their schemas under their own names. Model names are unique across the
platform (tests/unit/api checks it), so a generated client gets `ContractOut`, not
`BillingContractOut`; should two services ever publish different schemas under one name, the
later one is renamed `<Service><Name>` so the document stays valid, and `clashes` says so."""
from __future__ import annotations

import json

from gateway.domain.routes import SERVICES
from pfdo_kit.errors import problem_responses

REF = "#/components/schemas/"
TITLE = "PFDO API"
DESCRIPTION = (
    "Единый API платформы ПФДО (персонифицированное финансирование дополнительного образования детей): "
    "шлюз и пять сервисов за ним — реестр поставщиков, сертификаты, Навигатор (каталог и заявки), "
    "договоры и оплата, уведомления. Вход — POST /api/v1/auth/token, затем заголовок "
    "`Authorization: Bearer <access_token>`. Ошибки — application/problem+json (схема Problem; список "
    "кодов ошибок — docs/api/problems.md). Списки отдаются страницами {items, total, page, page_size} "
    "по параметрам ?page= и ?page_size= (до 100). Деньги — целые копейки (поля *_kop).")
NOT_YET_LOADED = "Ещё не получены документы сервисов: "
# What the gateway itself may answer in front of a service: the service down or too slow, and
# for writes a body too large or too many writes in a minute.
FORWARDED = {str(k): v for k, v in problem_responses(502, 504).items()}
WRITE_LIMITS = {str(k): v for k, v in problem_responses(413, 429).items()}


def _renamed(doc: dict, names: set[str], tag: str) -> dict:
    text = json.dumps(doc, ensure_ascii=False)
    for name in names:
        text = text.replace(f'"{REF}{name}"', f'"{REF}{tag}{name}"')
    out = json.loads(text)
    schemas = out.get("components", {}).get("schemas", {})
    for name in names:
        schema = schemas.pop(name)
        schema["title"] = tag + name
        schemas[tag + name] = schema
    return out


def with_gateway_answers(paths: dict) -> dict:
    """The services' operations as the gateway serves them: plus its own error answers."""
    for item in paths.values():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].update(FORWARDED | (WRITE_LIMITS if method != "get" else {}))
    return paths


def merge(own: dict, upstream: dict[str, dict], clashes: list[str] | None = None) -> dict:
    merged = json.loads(json.dumps(own))
    merged["info"].update(title=TITLE, description=DESCRIPTION)
    components = merged.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for service in SERVICES:
        if service not in upstream:
            continue
        doc = upstream[service]
        theirs = doc.get("components", {}).get("schemas", {})
        clashing = {n for n, s in theirs.items() if n in schemas and schemas[n] != s}
        if clashing:
            doc = _renamed(doc, clashing, service.capitalize())
            if clashes is not None:
                clashes += [f"{service}: {n}" for n in sorted(clashing)]
        merged["paths"].update(with_gateway_answers(
            {p: item for p, item in doc.get("paths", {}).items() if p.startswith("/api/v1/")}))
        schemas.update(doc.get("components", {}).get("schemas", {}))
        components.setdefault("securitySchemes", {}).update(doc.get("components", {}).get("securitySchemes", {}))
    missing = [s for s in SERVICES if s not in upstream]
    if missing:
        merged["info"]["description"] = NOT_YET_LOADED + ", ".join(missing)
    merged["components"]["schemas"] = dict(sorted(schemas.items()))
    return merged
