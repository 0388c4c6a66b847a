"""A PDF's text as a reader would copy it (pypdf): pages joined, every run of spaces (no-break
ones too) and line breaks one space."""
from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_text(pdf: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.replace("\u00a0", " ").split())
