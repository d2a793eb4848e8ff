"""DuckDB storage: versioned schema, reference tables, and writing one build's records.

I/O lives here and in pipeline.build; every other stage is pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import fields
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline.records import Correction, DocumentRecord, Figure

DDL_DIR = Path(__file__).resolve().parent / "ddl"

def _columns(record: type, extra: dict[str, Any]) -> dict[str, Any]:
    """A table's columns and their polars types, from a record's fields (records.py, the one
    schema) and the columns the build adds."""
    types = {"str": pl.Utf8, "int": pl.Int64, "float": pl.Float64}
    narrow = {"start": pl.Int32, "end": pl.Int32, "quote_start": pl.Int32, "year": pl.Int32, "present_year": pl.Int32}
    out = {}
    for f in fields(record):
        base = str(f.type).split(" | ")[0]
        out[f.name] = narrow.get(f.name, types[base])
    return {**out, **extra}


FIGURE_COLUMNS = _columns(Figure, {"run_id": pl.Int64})
DOCUMENT_COLUMNS = _columns(DocumentRecord, {"run_id": pl.Int64})
# a correction as read from the file, and where it applies now (pipeline.curation)
CORRECTION_COLUMNS = _columns(Correction, {"line": pl.Int32, "status": pl.Utf8, "problem": pl.Utf8,
                                           "applies_to": pl.Utf8})


def connect(path: str | Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(path), read_only=read_only)
    if not read_only:
        migrate(con)
    return con


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply the DDL files not yet applied, in version order; return the schema version."""
    con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    current = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0]
    for path in sorted(DDL_DIR.glob("V*__*.sql")):
        version = int(path.name[1:].split("__")[0])
        if version > current:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_version VALUES (?, now())", [version])
            current = version
    return current


def frame(rows: Iterable[dict[str, Any]], schema: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row")


REGION_COLUMNS = {"code": pl.Utf8, "name": pl.Utf8, "short_name": pl.Utf8, "level": pl.Utf8, "parent_code": pl.Utf8,
                  "province_code": pl.Utf8, "prefecture_code": pl.Utf8}
METRIC_COLUMNS = {"id": pl.Utf8, "zh": pl.Utf8, "en": pl.Utf8, "unit": pl.Utf8, "category": pl.Utf8, "kind": pl.Utf8}


def load_reference_tables(con: duckdb.DuckDBPyConnection, regions: Iterable[dict[str, Any]],
                          metrics: Iterable[dict[str, Any]]) -> None:
    """(Re)load the regions (the gazetteer) and the metrics (the catalog): rows of
    REGION_COLUMNS and METRIC_COLUMNS, as pipeline.knowledge.Knowledge.reference_rows gives them."""
    con.register("new_regions", frame(regions, REGION_COLUMNS).to_arrow())
    con.register("new_metrics", frame(metrics, METRIC_COLUMNS).to_arrow())
    con.execute("DELETE FROM regions; INSERT INTO regions SELECT * FROM new_regions")
    con.execute("DELETE FROM metrics; INSERT INTO metrics SELECT * FROM new_metrics")
    con.unregister("new_regions")
    con.unregister("new_metrics")


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, Any]], schema: dict[str, Any]) -> int:
    """Append records to a table through Arrow (no row-by-row inserts)."""
    if not rows:
        return 0
    data = frame(rows, schema).to_arrow()
    con.register("incoming", data)
    try:
        columns = ", ".join(f'"{c}"' for c in schema)
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")
    return len(rows)


def delete_documents(con: duckdb.DuckDBPyConnection, doc_ids: list[str]) -> int:
    """Remove documents and their figures; return the number of figures removed."""
    if not doc_ids:
        return 0
    params = {"ids": doc_ids}
    removed = con.execute("SELECT count(*) FROM figures WHERE list_contains($ids, doc_id)", params).fetchall()[0][0]
    con.execute("DELETE FROM figures WHERE list_contains($ids, doc_id)", {"ids": doc_ids})
    con.execute("DELETE FROM documents WHERE list_contains($ids, doc_id)", {"ids": doc_ids})
    return removed


def record_reject(con: duckdb.DuckDBPyConnection, path: str, reason: str, run_id: int) -> None:
    con.execute("INSERT INTO rejects VALUES (?, ?, ?, ?)", [path, reason, dt.datetime.now(), run_id])
