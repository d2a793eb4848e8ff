"""What every reader shares: the limits, the reject, the document's id and record."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import hashlib
import re
from collections.abc import Callable, Mapping
from pathlib import PurePath
from typing import Any

from pipeline import knowledge
from pipeline.records import Document

MAX_BYTES = 50 * 1024 * 1024
MAX_PDF_PAGES = 2000
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024   # a .docx is a zip: cap what it may expand to (python-docx reads it all)
MAX_ZIP_ENTRIES = 5000
MAX_ROWS = 100_000                        # articles in one CSV/JSONL export
MAX_HTML_ELEMENTS = 100_000               # a news page has 200-2,000; 200,000 parsed and counted in 0.4 s
MAX_REASON_CHARS = 300

META_KEYS = ("title", "source", "published", "region")
COLUMN_KEYS = ("text_column", "title_column", "published_column", "source_column", "region_column")
# control characters that never occur in a text file (tab, newlines and form feed do)
NON_TEXT = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")

Warn = Callable[[str], None]


class Rejected(Exception):
    """A file that is not a usable document; the message says why, starting with a category word."""


def content_id(text: str) -> str:
    """Stable document id: the hash of its text (the same content under two names is one document)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def words() -> Mapping[str, Any]:
    """data/lexicon/ingest.yaml: column names of exports, HTML meta names, boilerplate lines."""
    return knowledge.default().words("ingest")


def make_document(name: str, text: str, fmt: str, encoding: str | None, size: int, **meta: Any) -> Document:
    if not text.strip():
        raise Rejected("empty: no text")
    return Document(doc=PurePath(name).stem, doc_id=content_id(text), path=name, format=fmt, encoding=encoding,
                    bytes=size, chars=len(text), text=text,
                    **{k: v for k, v in meta.items() if k in META_KEYS and v is not None})


def one_line(reason: str) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= MAX_REASON_CHARS else reason[: MAX_REASON_CHARS - 1] + "…"


def iso_date(value: Any) -> str | None:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` from a date as people write it (2023/5/1,
    2023年5月1日, 20230501, 2023-05-01 10:00:00, 2023); None when it is not one."""
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    dates = knowledge.default().dates
    m = dates.metadata_compact_date.match(text) or dates.metadata_date.match(text)
    if not m:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            # Mon, 04 Apr 2022 02:15:24 GMT: RSS feeds and mail headers write RFC 2822 dates,
            # which the standard library reads; the day is the one written, in its own zone
            return email.utils.parsedate_to_datetime(text).date().isoformat()
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if day is not None and month is not None:
            return dt.date(year, month, day).isoformat()  # type: ignore[arg-type]
        if month is not None:
            return f"{year:04d}-{dt.date(year, month, 1).month:02d}"  # type: ignore[arg-type]
    except ValueError:
        return None
    return f"{year:04d}"


def clean_meta(raw: dict[str, Any]) -> dict[str, str]:
    """Metadata given for a file, checked: known keys only, blank values dropped,
    `published` as an ISO date. Raises ValueError saying what is wrong."""
    meta = {k: str(v).strip() for k, v in raw.items() if v is not None and str(v).strip()}
    unknown = sorted(set(meta) - set(META_KEYS) - set(COLUMN_KEYS))
    if unknown:
        raise ValueError(f"unknown keys {unknown} (known: {', '.join(META_KEYS + COLUMN_KEYS)})")
    if "published" in meta:
        date = iso_date(meta["published"])
        if date is None:
            raise ValueError(f"published {meta['published']!r} is not a date")
        meta["published"] = date
    return meta


def find_column(header: list[str], field: str, given: str | None) -> str | None:
    """The header name holding `field`: the one given, or the first known synonym."""
    by_name = {h.strip().lower(): h for h in header}
    if given is not None:
        if given.strip().lower() not in by_name:
            raise Rejected(f"malformed: no column {given!r} for {field} (columns: {', '.join(header)[:120]})")
        return by_name[given.strip().lower()]
    return next((by_name[s.lower()] for s in words()["columns"][field] if s.lower() in by_name), None)
