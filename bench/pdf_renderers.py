"""The offer's PDF, in-process: the kit's renderer as it is against the same renderer at an older
commit, document by document alternately, on the markups billing_ops' offers read as (CPU per
document, time.process_time; a document with bytes differing between the two counted).

    python -m bench.billing_ops --pdf-rounds 3 [--old-rev e2e21a6]

The current renderer is measured twice: as in a rush of one template (the font embeddings kept from
document to document) and with its kept embeddings dropped before each document (every family with
letters no earlier document used: its worst case)."""
from __future__ import annotations

import subprocess
import sys
import time
import types
from datetime import datetime
from pathlib import Path

from pfdo_kit import pdf_writer
from pfdo_kit.pdf_documents import DocumentFont, PdfRenderer
from services.billing.settings import DEJAVU

ROOT = Path(__file__).resolve().parents[1]
MODULES = ("pdf_font", "pdf_writer", "pdf_documents")
Markup = tuple[str, str, datetime]  # text, title, creation moment


def old_renderer_class(rev: str) -> type:
    """`PdfRenderer` as it was at `rev` (its modules read with git show, loaded under names of their own)."""
    package = f"_pdf_at_{rev}"
    sys.modules[package] = types.ModuleType(package)
    for name in MODULES:
        source = subprocess.run(["git", "show", f"{rev}:pfdo_kit/{name}.py"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
        for other in MODULES:
            source = source.replace(f"from pfdo_kit.{other} import", f"from {package}.{other} import")
        module = types.ModuleType(f"{package}.{name}")
        module.__file__ = f"<{rev}:pfdo_kit/{name}.py>"
        sys.modules[module.__name__] = module
        exec(compile(source, module.__file__, "exec"), module.__dict__)
    return sys.modules[f"{package}.pdf_documents"].PdfRenderer


def compare(markups: list[Markup], rounds: int, old_rev: str) -> dict:
    font = DocumentFont.in_directory(DEJAVU)
    old, new = old_renderer_class(old_rev)(font), PdfRenderer(font)
    cpu = {"old": 0.0, "new": 0.0, "new, no kept embedding": 0.0}
    differing = 0
    for _ in range(rounds):
        for text, title, at in markups:
            started = time.process_time()
            before = old.render(text, title=title, created_at=at)
            cpu["old"] += time.process_time() - started
            started = time.process_time()
            after = new.render(text, title=title, created_at=at)
            cpu["new"] += time.process_time() - started
            pdf_writer._embedding.cache_clear()
            started = time.process_time()
            new.render(text, title=title, created_at=at)
            cpu["new, no kept embedding"] += time.process_time() - started
            differing += before != after
    documents = rounds * len(markups)
    return {"documents": documents, "old_rev": old_rev, "bytes_differing": differing,
            "cpu_ms_per_document": {name: round(1000 * used / documents, 2) for name, used in cpu.items()}}
