"""Read report files into documents: plain records with the text and what the file says
about itself. One reader per format; `ingest_file` is the entry point.

Pure over (name, bytes, meta): the caller reads the file and its metadata
(`read_metadata` is the I/O edge for sidecars and manifests). A file that cannot become
a document raises `Rejected("category: detail")`; no other exception escapes
`ingest_file`, whatever the bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from pipeline.ingest.common import (
    COLUMN_KEYS,
    MAX_BYTES,
    META_KEYS,
    Rejected,
    Warn,
    clean_meta,
    content_id,
    iso_date,
    one_line,
)
from pipeline.ingest.exports import read_csv, read_jsonl
from pipeline.ingest.html import read_html
from pipeline.ingest.metadata import is_metadata_file, read_metadata
from pipeline.ingest.office import read_docx, read_pdf
from pipeline.ingest.text import read_text
from pipeline.records import Document

__all__ = ["COLUMN_KEYS", "MAX_BYTES", "META_KEYS", "Rejected", "content_id", "ingest_file", "is_metadata_file",
           "iso_date", "read_metadata"]

READERS: dict[str, Callable[[str, bytes], list[Document]]] = {
    ".txt": read_text, ".md": read_text,
    ".html": read_html, ".htm": read_html, ".shtml": read_html,
    ".pdf": read_pdf, ".docx": read_docx,
}
EXPORT_READERS = {".csv": read_csv, ".jsonl": read_jsonl}


def ingest_file(name: str, data: bytes, *, meta: dict[str, Any] | None = None, max_bytes: int = MAX_BYTES,
                warn: Warn | None = None) -> list[Document]:
    """Documents in one file (several for a CSV/JSONL export, `doc` = `STEM#N`).

    `meta` (from `read_metadata`, or the caller) wins over what the file says about
    itself; its `*_column` keys name the columns of an export. `warn` hears about rows
    of an export that were skipped. Raises Rejected with a one-line reason for a file
    that has no document; never anything else.
    """
    meta = meta or {}
    try:
        if meta.get("error"):
            raise Rejected(str(meta["error"]))
        given = clean_meta({k: v for k, v in meta.items() if k != "error"})
        if len(data) == 0:
            raise Rejected("empty: the file has no bytes")
        if len(data) > max_bytes:
            raise Rejected(f"too large: {len(data)} bytes over the limit of {max_bytes}")
        suffix = PurePath(name).suffix.lower()
        if suffix in EXPORT_READERS:
            docs = EXPORT_READERS[suffix](name, data, given, warn or (lambda _msg: None))
        elif suffix in READERS:
            docs = READERS[suffix](name, data)
        else:
            raise Rejected(f"unsupported format: {suffix or 'no extension'}")
    except Rejected as e:
        raise Rejected(one_line(str(e))) from None
    except ValueError as e:
        raise Rejected(one_line(f"malformed: {e}")) from e
    except Exception as e:  # a parser library failing on a damaged file: a reject, never a crash
        raise Rejected(one_line(f"malformed: {type(e).__name__}: {e}")) from e
    for doc in docs[:1]:
        if "replaced)" in (doc.encoding or ""):
            (warn or (lambda _msg: None))(f"{name}: read as {doc.encoding}")
    overrides = {k: v for k, v in given.items() if k in META_KEYS}
    return [doc.with_meta(**overrides) for doc in docs]
