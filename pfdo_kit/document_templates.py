"""Versioned document templates: `<set>/<name>-v<N>.md.j2` under one directory (a set per region,
say `kbr/offer-v1`), written in the markup of `pfdo_kit.pdf_documents`, filled with Jinja2.

A released version is never edited: `versions.json` beside the sets holds each released
template's SHA-256, and a template whose file differs from it is refused (a changed text is a new
version file, so a document already signed keeps naming the text it was made from). Values put
into a template stay inline: a line break or a table bar in a name cannot start a block of markup.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

MANIFEST = "versions.json"
NAME = re.compile(r"^[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*-v[0-9]+$")  # kbr/offer-v1
SUFFIX = ".md.j2"
LINE_BREAKS = re.compile(r"[\r\n\t\v\f\u2028\u2029]+")  # not str.split(): no-break spaces stay


class TemplateProblem(RuntimeError):
    """A template that is not released, missing, or edited after its release."""


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _inline(value: Any) -> str:
    """A value as it may stand in a line of markup: on one line, without table bars."""
    text = "" if value is None else str(value)
    return LINE_BREAKS.sub(" ", text).replace("|", "/")


class TemplateShelf:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        self._env = Environment(loader=FileSystemLoader(self.directory), undefined=StrictUndefined, autoescape=False,
                                trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_inline)

    def path(self, name: str) -> Path:
        return self.directory / f"{name}{SUFFIX}"

    def released(self) -> dict[str, str]:
        """name → the SHA-256 of its released file."""
        manifest = self.directory / MANIFEST
        if not manifest.is_file():
            raise TemplateProblem(f"no template manifest {manifest}")
        return dict(json.loads(manifest.read_text(encoding="utf-8"))["released"])

    def check(self, name: str) -> None:
        """TemplateProblem unless `name` is a released template whose file is exactly as released."""
        if not NAME.match(name):
            raise TemplateProblem(f"template name {name!r} is not <set>/<name>-v<N> (kbr/offer-v1)")
        released = self.released()
        if name not in released:
            raise TemplateProblem(f"template {name} is not released in {self.directory / MANIFEST}")
        path = self.path(name)
        if not path.is_file():
            raise TemplateProblem(f"template file {path} is missing")
        if (actual := file_sha256(path)) != released[name]:
            raise TemplateProblem(f"template {path} was edited after its release (sha256 {actual}, released "
                                  f"{released[name]}): a changed text is a new version file")

    def render(self, name: str, context: Mapping[str, Any]) -> str:
        return self._env.get_template(f"{name}{SUFFIX}").render(**context)
