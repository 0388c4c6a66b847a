"""The API documents in docs/api/ are the code's (regenerate: `python -m deploy.cli api-docs`),
hold together, and a client generated from the OpenAPI document is typed."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import api_documents

DOCS = api_documents.DOCS


def test_the_committed_documents_are_what_the_code_makes():
    import difflib
    differences = []
    for path, text in api_documents.rendered().items():
        committed = path.read_text(encoding="utf-8") if path.exists() else ""
        if committed != text:
            diff = difflib.unified_diff(committed.splitlines(), text.splitlines(), str(path), "the code", lineterm="")
            differences.append("\n".join(list(diff)[:30]))
    assert not differences, "regenerate with `python -m deploy.cli api-docs`:\n" + "\n".join(differences)


def test_model_names_are_unique_across_the_platform_and_operation_ids_too():
    clashes: list[str] = []
    doc = api_documents.openapi_document(clashes)
    assert not clashes, "two services publish different models under one name"
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values() if isinstance(op, dict)]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def _refs(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.add(value)
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def _resolves(doc: dict, ref: str) -> bool:
    node = doc
    for part in ref.removeprefix("#/").split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


@pytest.mark.parametrize("name", ["openapi.json", "asyncapi.json"])
def test_every_reference_resolves(name):
    doc = json.loads((DOCS / name).read_text(encoding="utf-8"))
    broken = [r for r in _refs(doc, set()) if not _resolves(doc, r)]
    assert not broken, broken


def test_the_openapi_document_declares_auth_and_a_plain_title():
    doc = json.loads((DOCS / "openapi.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[A-Za-z ]+", doc["info"]["title"]), "a generated package is named after the title"
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert doc["paths"]["/api/v1/me/cabinet"]["get"]["security"] == [{"bearer": []}]
    idempotent = [op["operationId"] for item in doc["paths"].values() for op in item.values()
                  if isinstance(op, dict) and any(p["name"] == "Idempotency-Key" for p in op.get("parameters", []))]
    # the writes that move seats or money and replay their first answer for a repeated key
    assert set(idempotent) == {"submit_application", "accept_application", "reject_application",
                               "cancel_application", "confirm_seat_offer", "terminate_contract",
                               "request_advance", "open_dispute", "answer_dispute", "decide_dispute",
                               "withdraw_dispute"}, idempotent


def test_the_events_document_is_asyncapi_3_with_amqp_bindings_and_described_channels():
    doc = json.loads((DOCS / "asyncapi.json").read_text(encoding="utf-8"))
    assert doc["asyncapi"] == "3.0.0"
    for key, channel in doc["channels"].items():
        assert channel["address"] == key and channel["description"].strip(), key
        assert channel["bindings"]["amqp"]["is"] == "routingKey"
        assert channel["bindings"]["amqp"]["exchange"] == {
            "name": "pfdo.events", "type": "topic", "durable": True, "autoDelete": False, "vhost": "/"}
    sent = {op["channel"]["$ref"].rsplit("/", 1)[1] for op in doc["operations"].values() if op["action"] == "send"}
    assert sent == set(doc["channels"]), "every channel has its publisher"


@pytest.fixture(scope="module")
def generated_client(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("client")
    config = out / "config.yaml"
    # A PDF (the contract's documents) is a file to the generator, as application/octet-stream is.
    config.write_text("post_hooks: []\ncontent_type_overrides:\n  application/pdf: application/octet-stream\n")
    done = subprocess.run(
        [str(Path(sys.executable).parent / "openapi-python-client"), "generate", "--path", str(DOCS / "openapi.json"),
         "--config", str(config), "--output-path", str(out / "project")],
        check=False, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Warning" not in done.stdout + done.stderr, done.stdout + done.stderr
    return out / "project" / "pfdo_api_client"


def test_a_generated_client_types_the_cabinet(generated_client):
    cabinet = (generated_client / "models" / "cabinet_out.py").read_text()
    parts = re.findall(r"^    (\w+): (\w+)$", cabinet, re.MULTILINE)
    assert {name for name, _ in parts} >= {"children", "applications", "contracts", "debits"}, parts
    for _name, part in parts:
        source = (generated_client / "models" / f"{re.sub(r'(?<!^)(?=[A-Z])', '_', part).lower()}.py").read_text()
        assert "Any" not in re.findall(r"^    data: (.+)$", source, re.MULTILINE)[0], f"{part}.data is untyped"


def test_a_generated_client_types_every_list(generated_client):
    doc = json.loads((DOCS / "openapi.json").read_text(encoding="utf-8"))
    pages = {name for name in doc["components"]["schemas"] if name.endswith("Page")}
    assert len(pages) >= 10
    for page in pages:
        source = (generated_client / "models" / f"{re.sub(r'(?<!^)(?=[A-Z])', '_', page).lower()}.py").read_text()
        assert re.search(r"^    items: list\[[A-Z]\w+( \| [A-Z]\w+)*\]$", source, re.MULTILINE), f"{page}.items: not models"
    models = list((generated_client / "models").glob("*.py"))
    assert len(models) < 400, f"{len(models)} models: error answers inlined per operation again?"


def test_the_events_document_holds_the_platform_events_only():
    """Event classes a test defines register themselves too; the document is the same with them."""
    from pfdo_events.envelope import Event

    class Probe(Event):
        event_type = "test.committed_documents.probe"
        event_version = 1

    assert "test.committed_documents.probe.v1" not in api_documents.asyncapi_document()["channels"]
    assert not api_documents.stale()
