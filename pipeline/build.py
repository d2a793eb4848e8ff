"""Build the figures database from a folder of reports.

The build writes a new database file beside the published one and swaps it in with an
atomic rename, so a dashboard reading the published file never sees a partial state.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any, Callable

from tqdm import tqdm

from pipeline import store
from pipeline.ingest import Rejected, ingest_file
from pipeline.process import process_document

SUFFIXES = {".txt", ".md", ".html", ".htm", ".shtml", ".pdf", ".docx", ".csv", ".jsonl"}


def corpus_files(corpus: Path) -> list[Path]:
    """Report files under a folder, in a stable order (sidecars and hidden files skipped)."""
    return sorted(
        p for p in corpus.rglob("*")
        if p.is_file() and not p.name.startswith(".") and not p.name.endswith(".meta.json")
    )


def build(corpus: Path, db_path: Path, progress: bool = True, warn: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Build `db_path` from every report under `corpus`; return the run summary."""
    warn = warn or (lambda msg: print(f"warning: {msg}", file=sys.stderr))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    started = dt.datetime.now()
    con = store.connect(tmp)
    try:
        store.load_reference_tables(con)
        run_id = int(started.timestamp() * 1000)
        con.execute("INSERT INTO runs (run_id, started_at, status, corpus) VALUES (?, ?, 'running', ?)",
                    [run_id, started, str(corpus)])
        files = corpus_files(corpus)
        docs, figures, rejected, seen = [], [], 0, set()
        for path in tqdm(files, desc="extracting", unit="file", disable=not progress):
            try:
                for doc in ingest_file(str(path.relative_to(corpus)), path.read_bytes()):
                    if doc["doc_id"] in seen:
                        continue
                    seen.add(doc["doc_id"])
                    record, figs = process_document(doc)
                    docs.append({**record, "run_id": run_id})
                    figures.extend({**f, "run_id": run_id} for f in figs)
            except Rejected as e:
                rejected += 1
                warn(f"{path}: {e}")
                store.record_reject(con, str(path), str(e), run_id)
        store.insert(con, "documents", docs, store.DOCUMENT_COLUMNS)
        store.insert(con, "figures", figures, store.FIGURE_COLUMNS)
        summary = {"run_id": run_id, "docs_new": len(docs), "docs_rejected": rejected, "figures_added": len(figures)}
        con.execute(
            "UPDATE runs SET finished_at = ?, status = 'ok', docs_new = ?, docs_changed = 0, docs_unchanged = 0,"
            " docs_removed = 0, docs_rejected = ?, figures_added = ?, figures_removed = 0 WHERE run_id = ?",
            [dt.datetime.now(), len(docs), rejected, len(figures), run_id],
        )
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(tmp, db_path)
    return summary
