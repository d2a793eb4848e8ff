"""Article exports, one article a row: CSV and JSON Lines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import PurePath
from typing import Any

from pipeline.ingest.common import MAX_BYTES, MAX_ROWS, META_KEYS, Rejected, Warn, find_column, iso_date, make_document
from pipeline.ingest.text import decode_text
from pipeline.records import Document


def csv_rows(text: str) -> tuple[list[str], Iterator[dict[str, str]]]:
    first_line = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first_line, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))  # articles are longer than csv's 128 KB default
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    header = [h for h in (reader.fieldnames or []) if h is not None]
    if not header:
        raise Rejected("empty: no header row")
    return header, reader


def _export_documents(name: str, fmt: str, encoding: str, header: list[str], rows: Iterator[tuple[int, dict]],
                      meta: dict[str, str], warn: Warn) -> list[Document]:
    columns = {k: find_column(header, k, meta.get(f"{k}_column")) for k in ("text", *META_KEYS)}
    text_col = columns.pop("text")
    if text_col is None:
        raise Rejected(f"no text column: none of {', '.join(map(str, header))[:120]} is a known text column;"
                       " name it with text_column in a sidecar")
    stem, docs, skipped = PurePath(name).stem, [], 0
    for n, row in rows:
        if n > MAX_ROWS:
            raise Rejected(f"too large: more than {MAX_ROWS} rows")
        text = row.get(text_col)
        text = text if isinstance(text, str) else ("" if text is None else str(text))
        if not text.strip():
            skipped += 1
            warn(f"{name}#{n}: empty: no text in column {text_col!r}, row skipped")
            continue
        given = {k: row.get(col) for k, col in columns.items() if col and row.get(col) not in (None, "")}
        if "published" in given:
            given["published"] = iso_date(given["published"])
        doc = make_document(name, text, fmt, encoding, len(text.encode("utf-8")),
                        **{k: str(v).strip() for k, v in given.items() if v is not None})
        docs.append(replace(doc, doc=f"{stem}#{n}"))
    if not docs:
        raise Rejected(f"empty: no row has text in column {text_col!r} ({skipped} rows)")
    return docs


def read_csv(name: str, data: bytes, meta: dict[str, str], warn: Warn) -> list[Document]:
    text, encoding = decode_text(data)
    if "\x00" in text:
        raise Rejected("binary: NUL characters in a CSV file")
    header, rows = csv_rows(text)
    return _export_documents(name, "csv", encoding, header, _counted_fields(name, header, rows, warn), meta, warn)


def _counted_fields(name: str, header: list[str], rows: Iterator[dict[str, str]],
                    warn: Warn) -> Iterator[tuple[int, dict]]:
    """The rows, numbered; one whose field count is not the header's (a quote opened and never
    closed merges fields and lines into one) is kept, with a warning saying so."""
    for n, row in enumerate(rows, start=1):
        extra = len(row.get(None) or ())   # type: ignore[call-overload]  # DictReader's restkey
        missing = sum(v is None for k, v in row.items() if k is not None)
        if extra or missing:
            fields = len(header) + extra - missing
            warn(f"{name}#{n}: malformed: {fields} fields where the header has {len(header)} (broken quoting?);"
                 " read as it stands")
        yield n, row


def _holds_lone_surrogate(record: dict[str, Any]) -> bool:
    """Does a key or string value of a JSON object hold half a surrogate pair? JSON can
    escape one (\\ud800), but it is no character: it can be neither stored nor shown."""
    try:
        for key, value in record.items():
            key.encode("utf-8")
            if isinstance(value, str):
                value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def read_jsonl(name: str, data: bytes, meta: dict[str, str], warn: Warn) -> list[Document]:
    text, encoding = decode_text(data)
    records: list[tuple[int, dict]] = []
    for n, line in enumerate(text.split("\n"), start=1):  # not splitlines: U+2028 may stand inside a string
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as e:
            warn(f"{name}#{n}: malformed: not JSON ({e}), line skipped")
            continue
        if not isinstance(record, dict):
            warn(f"{name}#{n}: malformed: not a JSON object, line skipped")
            continue
        if _holds_lone_surrogate(record):
            warn(f"{name}#{n}: malformed: an escaped lone surrogate (\\ud800…) is no character, line skipped")
            continue
        records.append((n, record))
        if len(records) > MAX_ROWS:
            raise Rejected(f"too large: more than {MAX_ROWS} rows")
    if not records:
        raise Rejected("malformed: no line is a JSON object")
    header = list(dict.fromkeys(k for _, r in records for k in r))
    return _export_documents(name, "jsonl", encoding, header, iter(records), meta, warn)


