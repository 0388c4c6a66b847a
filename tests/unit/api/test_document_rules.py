"""What a frontend developer needs of every operation in every process's OpenAPI document:
a Russian summary and description, a stable operationId, typed answers (no `{}`), every list
as one page format, enums where a value comes from a fixed set, examples for every body."""
from __future__ import annotations

import re

import pytest

from tests.unit.api.documents import PROCESSES, service_document

CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)
ENUM_PARAMS = {"status", "direction", "level", "form", "kind", "category", "role", "sort", "delivered_rule"}
PAGE_FIELDS = {"items", "total", "page", "page_size"}
METHODS = {"get", "post", "put", "patch", "delete"}


def operations(doc: dict):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method in METHODS and path.startswith("/api/v1/"):
                yield path, method, op


def resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def untyped(doc: dict, schema: dict, seen: set[str], where: str) -> list[str]:
    """Places under `schema` a generated client could only type as Any."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        if name in seen:
            return []
        seen.add(name)
        return untyped(doc, doc["components"]["schemas"][name], seen, name)
    shape = {"type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const", "properties", "items"}
    if not shape & set(schema) or schema.get("type") == "object" and set(schema) <= {"type", "title", "description"}:
        return [where]
    if schema.get("type") == "object" and "properties" not in schema and schema.get("additionalProperties") in (
            None, True, {}):
        return [where]
    found = []
    for key in ("anyOf", "oneOf", "allOf"):
        for i, sub in enumerate(schema.get(key, [])):
            found += untyped(doc, sub, seen, f"{where}.{key}[{i}]")
    if isinstance(schema.get("items"), dict):
        found += untyped(doc, schema["items"], seen, f"{where}[]")
    for prop, sub in schema.get("properties", {}).items():
        found += untyped(doc, sub, seen, f"{where}.{prop}")
    if isinstance(schema.get("additionalProperties"), dict) and schema["additionalProperties"]:
        found += untyped(doc, schema["additionalProperties"], seen, f"{where}{{}}")
    return found


def success_schemas(op: dict):
    """The JSON answers (a file — XLSX, PDF — is bytes, typed by its media type)."""
    for code, answer in op["responses"].items():
        if code.startswith("2"):
            for media_type, media in answer.get("content", {}).items():
                if media_type == "application/json" or media_type.endswith("+json"):
                    yield code, media.get("schema", {})


@pytest.mark.parametrize("process", PROCESSES)
def test_every_operation_is_described_in_russian_with_a_stable_id(process):
    doc = service_document(process)
    problems = []
    for path, method, op in operations(doc):
        where = f"{method.upper()} {path}"
        if not CYRILLIC.search(op.get("summary", "")):
            problems.append(f"{where}: no Russian summary")
        if not CYRILLIC.search(op.get("description", "")):
            problems.append(f"{where}: no Russian description")
        if not re.fullmatch(r"[a-z][a-z0-9_]+", op.get("operationId", "")):
            problems.append(f"{where}: operationId {op.get('operationId')!r} is not a function name")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("process", PROCESSES)
def test_every_answer_is_typed_and_every_list_is_a_page(process):
    doc = service_document(process)
    problems = []
    for path, method, op in operations(doc):
        for code, schema in success_schemas(op):
            where = f"{method.upper()} {path} {code}"
            problems += [f"{where}: untyped at {p}" for p in untyped(doc, schema, set(), "answer")]
            if resolve(doc, schema).get("type") == "array":
                problems.append(f"{where}: a bare array; lists answer one page format")
    for name, schema in doc["components"]["schemas"].items():
        if name.endswith("Page") and not PAGE_FIELDS <= set(schema.get("properties", {})):
            problems.append(f"{name}: not the page format {sorted(PAGE_FIELDS)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("process", PROCESSES)
def test_lists_take_the_same_page_parameters_and_fixed_sets_are_enums(process):
    doc = service_document(process)
    problems = []
    for path, method, op in operations(doc):
        names = {p["name"]: p for p in op.get("parameters", [])}
        where = f"{method.upper()} {path}"
        for code, schema in success_schemas(op):
            if resolve(doc, schema).get("properties", {}).keys() >= PAGE_FIELDS and not {"page", "page_size"} <= set(
                    names):
                problems.append(f"{where}: a page without ?page= and ?page_size=")
        for legacy in ("limit", "offset"):
            if legacy in names:
                problems.append(f"{where}: ?{legacy}= (lists take ?page= and ?page_size=)")
        for name in ENUM_PARAMS & set(names):
            schema = names[name]["schema"]
            options = [resolve(doc, s) for s in (schema.get("anyOf") or [schema])]
            if not any("enum" in s or "const" in s or "enum" in s.get("items", {}) for s in options):
                problems.append(f"{where}: ?{name}= is not an enum")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("process", PROCESSES)
def test_every_request_body_has_an_example(process):
    doc = service_document(process)
    problems = []
    for path, method, op in operations(doc):
        for media in op.get("requestBody", {}).get("content", {}).values():
            schema = resolve(doc, media.get("schema", {}))
            has = "examples" in schema or "example" in schema or any(
                "examples" in p or "example" in p for p in schema.get("properties", {}).values()) or "examples" in media
            if not has:
                problems.append(f"{method.upper()} {path}: the body has no example")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("process", PROCESSES)
def test_errors_refer_to_the_one_problem_schema(process):
    doc = service_document(process)
    problems = []
    for path, method, op in operations(doc):
        for code, answer in op["responses"].items():
            if code[0] in "45":
                schemas = [m.get("schema") for m in answer.get("content", {}).values()]
                if schemas != [{"$ref": "#/components/schemas/Problem"}]:
                    problems.append(f"{method.upper()} {path} {code}: {schemas}")
    assert not problems, "\n".join(problems)
