"""Metadata given beside the files: sidecars, manifests, and the dates people write."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path, PurePath, PurePosixPath
from typing import Any

from pipeline.ingest.common import COLUMN_KEYS, META_KEYS, Rejected, clean_meta, find_column, one_line, words
from pipeline.ingest.exports import csv_rows
from pipeline.ingest.text import decode_text

SIDECAR_SUFFIX = ".meta.json"
MANIFEST_NAME = "manifest.csv"

def is_metadata_file(rel_path: str) -> bool:
    """Sidecars and manifests describe documents; they are not documents themselves."""
    name = PurePath(rel_path).name
    return name.endswith(SIDECAR_SUFFIX) or name == MANIFEST_NAME


def read_metadata(corpus: Path) -> dict[str, dict[str, Any]]:
    """Metadata per file path (relative to `corpus`, with /) from every `manifest.csv`
    (rows naming a file of its folder) and every sidecar `NAME.meta.json` (beside the
    file NAME, or beside the files whose stem is NAME). A sidecar wins over a manifest.
    Keys: title, source, published, region, and for exports the *_column names.

    Problems do not raise: an entry whose metadata cannot be read holds only
    `{"error": reason}` (ingest_file then rejects that file with the reason); a manifest
    that cannot be read at all is reported under its own path.
    """
    metas: dict[str, dict[str, Any]] = {}

    def add(key: str, new: dict[str, Any]) -> None:
        old = metas.get(key, {})
        metas[key] = old if "error" in old else (new if "error" in new else {**old, **new})

    for manifest in sorted(corpus.rglob(MANIFEST_NAME)):
        for key, meta in _manifest_entries(manifest, corpus):
            add(key, meta)
    for sidecar in sorted(corpus.rglob(f"*{SIDECAR_SUFFIX}")):
        rel = sidecar.relative_to(corpus).as_posix()
        targets = _sidecar_targets(sidecar)
        try:
            raw = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
            if not isinstance(raw, dict):
                raise ValueError("not a JSON object")
            entry: dict[str, Any] = clean_meta(raw)
        except (ValueError, OSError) as e:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
            entry = {"error": one_line(f"malformed: sidecar {rel}: {e}")}
        if not targets:
            add(rel, {"error": f"malformed: sidecar {rel} names no file beside it"})
        for target in targets:
            add(target.relative_to(corpus).as_posix(), entry)
    return metas


def _sidecar_targets(sidecar: Path) -> list[Path]:
    name = sidecar.name[: -len(SIDECAR_SUFFIX)]
    exact = sidecar.with_name(name)
    if exact.is_file():
        return [exact]
    return sorted(p for p in sidecar.parent.iterdir()
                  if p.is_file() and p.stem == name and not is_metadata_file(p.name))


def _manifest_entries(manifest: Path, corpus: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    rel = manifest.relative_to(corpus).as_posix()
    folder = PurePosixPath(manifest.parent.relative_to(corpus).as_posix())
    try:
        text, _ = decode_text(manifest.read_bytes())
        header, reader = csv_rows(text)
        rows = list(reader)
    except (Rejected, csv.Error, OSError) as e:
        yield rel, {"error": one_line(f"malformed: manifest {rel}: {e}")}
        return
    file_col = find_column(header, "file", None)
    if file_col is None:
        yield rel, {"error": f"malformed: manifest {rel} has no file column (one of {words()['columns']['file']})"}
        return
    columns = {k: find_column(header, k, None) for k in META_KEYS}
    columns |= {h.strip().lower(): h for h in header if h.strip().lower() in COLUMN_KEYS}  # e.g. text_column
    for n, row in enumerate(rows, start=1):
        name = (row.get(file_col) or "").strip()
        if not name:
            continue
        key = (folder / name).as_posix().removeprefix("./")
        try:
            yield key, clean_meta({k: row.get(col) for k, col in columns.items() if col})
        except ValueError as e:
            yield key, {"error": one_line(f"malformed: manifest {rel} row {n}: {e}")}


