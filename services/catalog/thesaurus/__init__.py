"""The thesaurus files: the base Russian one shipped here (ru.yaml) and a district's own,
named by CATALOG_THESAURUS_PATH, which extends it."""
from __future__ import annotations

from pathlib import Path

import yaml

from services.catalog.domain.thesaurus import Thesaurus, build

BASE = Path(__file__).with_name("ru.yaml")
SECTIONS = {"synonyms": list, "narrower": dict, "generic": list}


def read(path: Path) -> dict:
    """One file, its shape checked: a district's typo must stop the service, not silently lose words."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(doc, dict) or set(doc) - set(SECTIONS):
        raise ValueError(f"{path}: a thesaurus has only the sections {', '.join(SECTIONS)}")
    for name, shape in SECTIONS.items():
        if doc.get(name) is not None and not isinstance(doc[name], shape):
            raise ValueError(f"{path}: '{name}' must be a {shape.__name__}")
    return doc


def load(district_path: Path | None = None) -> Thesaurus:
    return build([read(BASE)] + ([read(district_path)] if district_path else []))
