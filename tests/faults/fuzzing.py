"""Schemathesis over a live API: for each operation of the OpenAPI document, a bounded number of
generated requests (valid and invalid ones), each answer checked against the document — no
5xx, status codes and content types declared, bodies matching their schemas, errors as
problem+json. Every operation is tried, and must send requests in each mode (but for invalid data
where none exists); all failures are returned, not just the first."""
from __future__ import annotations

from collections.abc import Iterable

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from pfdo_kit.errors import PROBLEM_JSON

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@schemathesis.check
def errors_are_problem_documents(ctx, response, case) -> bool | None:
    """RFC 9457: every 4xx/5xx answer of the API is application/problem+json with a type and a title."""
    if response.status_code < 400:
        return None
    media = response.headers.get("content-type", [""])[0].split(";")[0].strip()
    assert media == PROBLEM_JSON, f"an error answered as {media!r}, not {PROBLEM_JSON}"
    body = response.json()
    assert body.get("type", "").startswith("urn:pfdo:problem:") and body.get("title"), "a problem without type or title"
    return True


def _one(operation, mode: GenerationMode, base_url: str, token: str, max_examples: int, sent: list[int]):
    checks = [*CHECKS, errors_are_problem_documents]
    if mode is GenerationMode.NEGATIVE:
        checks.append(negative_data_rejection)

    @settings(max_examples=max_examples, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        sent.append(1)
        case.call_and_validate(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, checks=checks,
                               timeout=30)
    return run


def _without_auth(document: dict) -> dict:
    """The document as the fuzzer sees it: every request carries the role's token, so the bearer
    scheme is taken out — otherwise a negative case "without Authorization" is sent with it and
    its acceptance counted as a fault. Tokens themselves are tested by the matrix and the forged
    token suites."""
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict):
                operation.pop("security", None)
    document.get("components", {}).pop("securitySchemes", None)
    return document


def fuzz(schema_url: str, base_url: str, tokens: dict[str, str], max_examples: int,
         modes: Iterable[GenerationMode] = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)) -> list[str]:
    """Failures as `role mode METHOD path: message`, one per operation, role and mode at most."""
    schema = schemathesis.openapi.from_dict(_without_auth(httpx.get(schema_url, timeout=30).json()))
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for role, token in tokens.items():
            for mode in modes:
                where, sent = f"{role} {mode.value} {operation.label}", []
                try:
                    _one(operation, mode, base_url, token, max_examples, sent)()
                except Unsatisfiable:  # no invalid request exists (no parameters, no body)
                    if mode is not GenerationMode.NEGATIVE:
                        failures.append(f"{where}: no valid request could be generated")
                    continue
                except (Exception, BaseExceptionGroup) as failure:  # noqa: BLE001 - reported with the others
                    failures.append(f"{where}: {failure}")
                    continue
                if not sent:
                    failures.append(f"{where}: no request was sent")
    return failures
