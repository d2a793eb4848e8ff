"""The per-document pipeline: normalize → extract → resolve. A pure function of one
ingested document, so a process pool (or Ray Data's map) can run it anywhere."""

from __future__ import annotations

import hashlib
from typing import Any

from pipeline import __version__
from pipeline.extract import extract_figures
from pipeline.normalize import normalize
from pipeline.resolve import resolve_document

DOCUMENT_FIELDS = ("doc_id", "doc", "path", "format", "encoding", "bytes", "chars", "title", "source",
                   "published", "published_how", "present_year", "present_year_how", "main_region_code",
                   "main_region_name", "script", "text")


def figure_id(doc_id: str, start: int, end: int) -> str:
    """Stable id of a figure: its document's content hash and its span. Analysts'
    corrections are keyed on it, so it must not change between builds."""
    return hashlib.sha256(f"{doc_id}:{start}:{end}".encode()).hexdigest()[:16]


def process_document(doc: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(document record, figure records) for one ingested document."""
    normalized = normalize(doc)
    figures = extract_figures(normalized)
    resolved_doc, figures = resolve_document(normalized, figures)
    record = {k: resolved_doc.get(k) for k in DOCUMENT_FIELDS}
    for f in figures:
        f["figure_id"] = figure_id(doc["doc_id"], f["start"], f["end"])
        f["doc_id"] = doc["doc_id"]
        f["extractor"] = __version__
    return record, figures
