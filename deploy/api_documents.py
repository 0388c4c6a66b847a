"""The API's documents as the repository keeps them (docs/api/): the merged OpenAPI document,
the AsyncAPI document of the events, and the list of problem types. Built in-process from the
code (no database, no broker): `python -m deploy.cli api-docs` writes them, `--check` fails when
the committed files differ from the code."""
from __future__ import annotations

import ast
import json
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from pfdo_kit.municipalities import Municipality

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs" / "api"
PROCESSES = ("registry", "certificates", "catalog", "billing", "notifications", "gateway")
# Settings only for building the documents: nothing is connected.
_OFFLINE = {"database_url": "postgresql://offline/none", "amqp_url": "amqp://offline", "district": "docs",
            "municipalities": [Municipality(code="docs", name="Документация", oktmo="00000000")]}


def _key() -> str:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()


@cache
def process_document(name: str) -> dict:
    """One process's own OpenAPI document (the gateway's without the services' paths)."""
    if name == "gateway":
        from gateway.app import create_app
        from gateway.settings import GatewaySettings
        return create_app(GatewaySettings(**_OFFLINE, signing_key_pem=_key())).state.own_openapi()
    module = __import__(f"services.{name}.app", fromlist=["create_app"])
    settings_module = __import__(f"services.{name}.settings", fromlist=["x"])
    settings_cls = next(v for k, v in vars(settings_module).items() if k.endswith("Settings") and k != "ServiceSettings")
    return module.create_app(settings_cls(**_OFFLINE)).openapi()


def openapi_document(clashes: list[str] | None = None) -> dict:
    from gateway.openapi_merge import merge
    return merge(process_document("gateway"), {s: process_document(s) for s in PROCESSES if s != "gateway"},
                 clashes)


def asyncapi_document() -> dict:
    from gateway.asyncapi import asyncapi_document as build
    return build()


VARIES = "(название зависит от действия)"


def _owner(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    return parts[1] if parts[0] == "services" else {"pfdo_kit": "все"}.get(parts[0], parts[0])


def problem_types() -> dict[tuple[int, str], tuple[list[str], list[str]]]:
    """(status, slug) → (titles, who raises it): every problem the code raises with literal
    arguments, plus the payment check's reasons (raised by name from its table)."""
    found: dict[tuple[int, str], tuple[set[str], set[str]]] = {}

    def add(status: int, slug: str, title: str, owner: str) -> None:
        titles, owners = found.setdefault((status, slug), (set(), set()))
        titles.add(title)
        owners.add(owner)

    for path in sorted([*ROOT.glob("services/*/**/*.py"), *ROOT.glob("gateway/**/*.py"), *ROOT.glob("pfdo_kit/*.py")]):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if name == "ProblemError" and len(args) >= 3 and isinstance(args[0], int) and isinstance(args[1], str):
                add(args[0], args[1], args[2] if isinstance(args[2], str) else VARIES, _owner(path))
            elif name == "conflict" and len(args) >= 2 and isinstance(args[0], str):
                add(409, args[0], args[1] if isinstance(args[1], str) else VARIES, _owner(path))
    from services.catalog.domain.payment_check import REASONS_RU
    from services.catalog.flows import applications
    for reason, (status, _field) in applications._REFUSALS.items():
        add(status, reason.replace("_", "-"), REASONS_RU[reason], "catalog")
    for status, slug, title in ((404, "not-found", "Объект не найден"),
                                (422, "validation", "Проверьте введённые данные")):
        add(status, slug, title, "все")
    return {key: (sorted(titles), sorted(owners)) for key, (titles, owners) in sorted(found.items())}


def problems_markdown() -> str:
    lines = ["# Problem types", "",
             "Every error answer is `application/problem+json` (the `Problem` schema of the OpenAPI document) with",
             "`type` = `urn:pfdo:problem:<slug>`, a Russian `title` to show, and `field` when one field is at fault",
             "(`errors` lists every field at fault). A client branches on `status` and the slug; titles may be",
             "reworded. Generated from the code by `python -m deploy.cli api-docs` (a test fails when this list",
             "and the code differ).", "",
             "| status | slug | titles | raised by |", "|---|---|---|---|"]
    lines += [f"| {status} | `{slug}` | {'<br>'.join(titles)} | {', '.join(owners)} |"
              for (status, slug), (titles, owners) in problem_types().items()]
    return "\n".join(lines) + "\n"


def rendered() -> dict[Path, str]:
    """Each committed file and what the code makes of it now."""
    def as_json(doc: dict) -> str:
        return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    return {DOCS / "openapi.json": as_json(openapi_document()), DOCS / "asyncapi.json": as_json(asyncapi_document()),
            DOCS / "problems.md": problems_markdown()}


def write() -> list[Path]:
    DOCS.mkdir(parents=True, exist_ok=True)
    changed = []
    for path, text in rendered().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale() -> list[Path]:
    return [p for p, text in rendered().items() if not p.exists() or p.read_text(encoding="utf-8") != text]
